/**
 * Personal access tokens: bearer tokens a user creates for scripts, which act as their owner on the REST API. The
 * store, the service, the API Tokens page, the REST API, and the bearer authentication of a {@code gtpat_} token.
 */
@ApplicationModule(
		allowedDependencies = { "clients", "accounts", "signin", "api", "audit", "cluster", "database", "secrets",
			"usage" })
@NullMarked
package io.gatehouse.personaltokens;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
