/**
 * Event webhooks: endpoints administrators register (URL, event types, a signing secret shown once and kept
 * encrypted), a durable outbox written in the transaction of each audited change, and a dispatcher that delivers
 * each event once across nodes, signed, in order per client, retried with backoff, with a delivery log.
 */
@ApplicationModule(allowedDependencies = { "audit", "signing", "secrets", "outbound", "api", "database", "cluster" })
@NullMarked
package io.gatehouse.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
