/**
 * Who is signed in and what they may do now: the console's login and its throttle (shared with the OAuth password
 * grant), the principal of every request ({@link io.gatehouse.signin.SignedInUser}), and its authorities as they are
 * now: cached per account and dropped by the account and group change signals, so that a revoked permission or a
 * deactivated account takes effect on the next request (on another node within the signals' bound).
 */
@ApplicationModule(allowedDependencies = { "cluster", "database" })
@NullMarked
package io.gatehouse.signin;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
