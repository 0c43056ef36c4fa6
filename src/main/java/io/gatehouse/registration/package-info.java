/**
 * Registration from a pipeline: initial access tokens (console and REST API), RFC 7591 dynamic client registration
 * at {@code /oauth/register} and RFC 7592 management of each registered client with its registration access token,
 * under the same rules as the console (through {@code clients.AuthClientService}).
 */
@ApplicationModule(allowedDependencies = { "clients", "api", "audit", "database", "oauth", "secrets", "signin" })
@NullMarked
package io.gatehouse.registration;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
