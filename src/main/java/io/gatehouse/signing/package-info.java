/**
 * The keys that sign access and ID tokens: stored in the database so every node signs and verifies alike, rotated with
 * an overlap, published as the JWKS, and the JWT encoder and decoder built on them.
 */
@ApplicationModule(allowedDependencies = { "database" })
@NullMarked
package io.gatehouse.signing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
