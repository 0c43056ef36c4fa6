/**
 * Who changed what, when: an append-only record of every change to auth clients, users and groups. It never sees a
 * secret: publishers describe changes by field name and display value only.
 */
@ApplicationModule(allowedDependencies = { "signin" })
@NullMarked
package io.gatehouse.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
