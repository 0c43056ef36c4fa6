/**
 * Configuration as code: the server's auth clients (never a secret), groups with their permissions, and the service
 * accounts of clients, exported as one YAML or JSON document, and a document applied back in one transaction under
 * the same rules as the console and with the caller's permissions: idempotent, with a dry run, through the REST API
 * and the {@code config} command line.
 */
@ApplicationModule(allowedDependencies = { "clients", "accounts", "api", "signin", "database" })
@NullMarked
package io.gatehouse.provisioning;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
