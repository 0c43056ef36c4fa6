/**
 * The OAuth 2.0 side: extra grants, personal access tokens, token store, and the signing keys kept in the database.
 */
@NullMarked
package io.gatehouse.tokens;

import org.jspecify.annotations.NullMarked;
