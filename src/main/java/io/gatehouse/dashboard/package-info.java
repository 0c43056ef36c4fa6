/**
 * The console's home page: a dashboard of what the signed-in user may see (clients, users, active tokens, tokens
 * issued, sign-in failures, the signing key, the busiest clients), each figure read from its module's API.
 */
@ApplicationModule(allowedDependencies = { "usage", "clients", "accounts", "oauth", "signing", "audit", "signin" })
@NullMarked
package io.gatehouse.dashboard;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
