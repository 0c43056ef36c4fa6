/**
 * Shared console pieces: the layout, the login and error pages, and how console failures are shown (the home page
 * is the dashboard module's).
 */
@ApplicationModule(allowedDependencies = { "api" })
@NullMarked
package io.gatehouse.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
