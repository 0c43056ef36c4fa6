/**
 * Shared console pieces: the layout, the login, home and error pages, and how console failures are shown.
 */
@ApplicationModule(allowedDependencies = { "api" })
@NullMarked
package io.gatehouse.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
