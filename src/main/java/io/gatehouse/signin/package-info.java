/**
 * Who is signed in and what they may do now: the console's login and its throttle (shared with the OAuth password
 * grant), the principal of every request ({@link io.gatehouse.signin.SignedInUser}), and its authorities, read from
 * the database on every request so that a revoked permission or a deactivated account takes effect at once.
 */
@ApplicationModule(allowedDependencies = { "database" })
@NullMarked
package io.gatehouse.signin;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
