/**
 * Users, groups and permissions: who may sign in, and what each may do. A user holds a permission directly or through
 * any of their groups; a super admin holds every permission.
 */
@ApplicationModule(allowedDependencies = { "signin", "api", "audit", "cluster", "database" })
@NullMarked
package io.gatehouse.accounts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
