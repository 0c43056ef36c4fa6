/**
 * Who did what, when: an append-only record of every security-relevant event (changes to auth clients, users,
 * groups, tokens and consents, sign-ins, signing key rotations), written in the transaction of the change, searched
 * on the Audit log page and the REST API, and kept for the retention period. It never sees a secret: publishers
 * describe changes by field name and display value only.
 */
@ApplicationModule(allowedDependencies = { "signin", "signing", "api", "database" })
@NullMarked
package io.gatehouse.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
