/**
 * Personal access tokens: users create, name, scope and revoke their own bearer tokens for the REST API.
 */
@NullMarked
package io.gatehouse.tokens;

import org.jspecify.annotations.NullMarked;
