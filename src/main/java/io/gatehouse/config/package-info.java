/**
 * Security filter chains and start-up checks. Nothing depends on this module; it wires the others together.
 */
@ApplicationModule(allowedDependencies = { "oauth", "personaltokens", "signin", "api", "web" })
@NullMarked
package io.gatehouse.config;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
