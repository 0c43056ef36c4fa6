/**
 * Consent to the authorization code grant and the device authorization grant: the consent store, the consent page,
 * the device verification page ({@code /device}), and a user's authorized applications
 * (the profile page and the REST API), where withdrawing consent also ends the client's code-grant tokens.
 */
@ApplicationModule(allowedDependencies = { "oauth", "accounts", "signin", "api", "web", "audit" })
@NullMarked
package io.gatehouse.consent;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
