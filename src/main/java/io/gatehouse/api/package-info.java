/**
 * Shared REST pieces: problem details, validation errors, strict JSON reading, the character rules for names,
 * paging, ETags and the API documentation.
 */
@NullMarked
package io.gatehouse.api;

import org.jspecify.annotations.NullMarked;
