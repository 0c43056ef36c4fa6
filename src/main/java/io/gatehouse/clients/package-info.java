/**
 * Auth clients: the applications that may call the REST API, how each gets access (grant types and redirect URLs),
 * their secrets (stored only as a hash), and the console pages and REST API that manage them.
 */
@ApplicationModule(allowedDependencies = { "accounts", "api", "audit", "cluster", "database", "secrets", "usage" })
@NullMarked
package io.gatehouse.clients;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
