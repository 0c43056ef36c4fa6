/**
 * High-entropy credentials (client secrets, personal access tokens, OAuth tokens): making them, and keeping only
 * their SHA-256, compared in constant time.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package io.gatehouse.secrets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
