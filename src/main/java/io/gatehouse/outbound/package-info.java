/**
 * Every HTTP call the server makes to another host (a client's {@code jwks_uri}, webhooks): only https (plain http
 * only to loopback), never to a loopback, private, link-local, CGNAT, unspecified or multicast address unless an
 * administrator allows private targets, connected to the address that was checked, no redirects followed, short
 * timeouts and a response size limit.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package io.gatehouse.outbound;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
