/**
 * Shared REST pieces: problem details, validation errors, strict JSON reading, the character rules for names,
 * paging, ETags and the API documentation.
 */
@ApplicationModule(allowedDependencies = { "database" })
@NullMarked
package io.gatehouse.api;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
