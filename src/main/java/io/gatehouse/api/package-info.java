/**
 * Shared REST pieces: problem details, validation errors, paging, ETags and the API documentation.
 */
@NullMarked
package io.gatehouse.api;

import org.jspecify.annotations.NullMarked;
