/**
 * How several Gatehouse nodes on one database agree: a change committed on one node is signalled to every node
 * (PostgreSQL {@code LISTEN/NOTIFY}; in-process on the embedded H2, which is single-node), and caches drop what a
 * signal names, or everything when signals may have been missed.
 */
@ApplicationModule(allowedDependencies = { "database" })
@NullMarked
package io.gatehouse.cluster;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
