/**
 * The OAuth 2.0 and OpenID Connect side: the authorization server's endpoints and grants, the token store, signing
 * keys, personal access tokens, and bearer-token access to the REST API.
 */
@NullMarked
package io.gatehouse.tokens;

import org.jspecify.annotations.NullMarked;
