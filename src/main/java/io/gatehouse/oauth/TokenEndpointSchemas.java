package io.gatehouse.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The request and response bodies of the OAuth 2.0 endpoints in the OpenAPI document ({@link
 * TokenEndpointsOpenApiCustomizer}), as RFC 6749, 7662, 7517, 8414 and OpenID Connect define them, and the small
 * builders both use.
 */
final class TokenEndpointSchemas {

	// RFC 6749 5.2, and RFC 7009 2.2.1 for revocation
	static final List<String> ERROR_CODES = List.of("invalid_request", "invalid_client", "invalid_grant",
			"unauthorized_client", "unsupported_grant_type", "invalid_scope", "unsupported_token_type",
			// RFC 9449 5 and 8
			"invalid_dpop_proof", "use_dpop_nonce",
			// RFC 8628 3.5, the device code grant while it polls
			"authorization_pending", "slow_down", "access_denied", "expired_token",
			// RFC 8693 2.2.2, an audience or resource the token exchange may not issue a token for
			"invalid_target");

	private static final String FORM = "application/x-www-form-urlencoded";

	private static final String JSON = "application/json";

	private static final String SCHEMAS = "#/components/schemas/";

	/** RFC 7523 2.2: private_key_jwt's fields. */
	private static StringSchema clientAssertionType() {
		return enumOf("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
	}

	private static StringSchema clientAssertion() {
		return string("private_key_jwt: a JWT signed with one of the client's keys (RFC 7523 2.2): iss and sub the "
				+ "client ID, aud the token endpoint URL, exp at most 5 minutes ahead, a jti used once");
	}

	private TokenEndpointSchemas() {
	}

	/** The schemas the operations refer to by {@link #ref}. */
	static Map<String, Schema<?>> all() {
		Map<String, Schema<?>> schemas = new LinkedHashMap<>();
		schemas.put("TokenRequest", new ObjectSchema().description("Form fields; which ones depend on grant_type")
			.addRequiredItem("grant_type")
			.addProperty("grant_type", enumOf(AuthorizationServerSetup.SERVED_GRANT_TYPES.toArray(String[]::new)))
			.addProperty("code", string("authorization_code: the code from the redirect"))
			.addProperty("redirect_uri", string("authorization_code: the redirect_uri of the authorization request"))
			.addProperty("code_verifier", string("authorization_code: the PKCE verifier (RFC 7636 4.5)"))
			.addProperty("refresh_token", string("refresh_token: the latest refresh token"))
			.addProperty("device_code", string("urn:ietf:params:oauth:grant-type:device_code: the device code from "
					+ "/oauth/device_authorization"))
			.addProperty("subject_token", string("token exchange (RFC 8693): an access token of this server, issued "
					+ "to the client or addressed to it (aud)"))
			.addProperty("subject_token_type", enumOf("urn:ietf:params:oauth:token-type:access_token"))
			.addProperty("actor_token", string("token exchange, delegation: the client's own access token for the "
					+ "actor; the issued token carries act"))
			.addProperty("actor_token_type", enumOf("urn:ietf:params:oauth:token-type:access_token"))
			.addProperty("requested_token_type", enumOf("urn:ietf:params:oauth:token-type:access_token"))
			.addProperty("audience", string("token exchange: gatehouse-api, the client itself or one of its "
					+ "token_exchange_audiences (a client id); may be repeated"))
			.addProperty("resource", string("token exchange: as audience"))
			.addProperty("username", string("password: the user's username"))
			.addProperty("password", string("password: the user's password").format("password"))
			.addProperty("scope", string("password, client_credentials, refresh_token, token exchange (at most the "
					+ "subject token's): space-separated scopes"))
			.addProperty("client_id", string("client_secret_post, private_key_jwt or a public client: the client ID"))
			.addProperty("client_secret", string("client_secret_post: the client's secret").format("password"))
			.addProperty("client_assertion_type", clientAssertionType())
			.addProperty("client_assertion", clientAssertion()));
		schemas.put("PushedAuthorizationRequest", new ObjectSchema()
			.description("The parameters of an authorization request (RFC 9126 2.1), as a form")
			.addRequiredItem("response_type").addRequiredItem("client_id")
			.addProperty("response_type", enumOf("code"))
			.addProperty("client_id", string("The client's ID"))
			.addProperty("redirect_uri", string("One of the client's registered redirect URLs").format("uri"))
			.addProperty("scope", string("Space-separated scopes: api, openid, profile, email"))
			.addProperty("state", string("Returned unchanged with the code"))
			.addProperty("code_challenge", string("PKCE: BASE64URL(SHA-256(code_verifier))"))
			.addProperty("code_challenge_method", enumOf("S256"))
			.addProperty("nonce", string("OpenID Connect: copied into the ID token"))
			.addProperty("client_secret", string("client_secret_post: the client's secret").format("password"))
			.addProperty("client_assertion_type", clientAssertionType())
			.addProperty("client_assertion", clientAssertion()));
		schemas.put("PushedAuthorizationResponse", new ObjectSchema().addRequiredItem("request_uri")
			.addRequiredItem("expires_in")
			.addProperty("request_uri", string("urn:ietf:params:oauth:request_uri:..., for /oauth/authorize"))
			.addProperty("expires_in", new IntegerSchema().description("Seconds the request_uri stays usable")));
		schemas.put("DeviceAuthorizationRequest", new ObjectSchema()
			.description("RFC 8628 3.1, as a form")
			.addProperty("scope", string("Space-separated scopes: api, profile, email; api when left out"))
			.addProperty("client_id", string("client_secret_post: the client's ID"))
			.addProperty("client_secret", string("client_secret_post: the client's secret").format("password")));
		schemas.put("DeviceAuthorizationResponse", new ObjectSchema().description("RFC 8628 3.2")
			.addRequiredItem("device_code").addRequiredItem("user_code").addRequiredItem("verification_uri")
			.addRequiredItem("expires_in")
			.addProperty("device_code", string("What the device polls the token endpoint with"))
			.addProperty("user_code", string("What the user types on the verification page: 8 letters, XXXX-XXXX"))
			.addProperty("verification_uri", string("The console page /device").format("uri"))
			.addProperty("verification_uri_complete", string("/device with the user code filled in").format("uri"))
			.addProperty("expires_in", new IntegerSchema().description("Seconds both codes stay usable (600)"))
			.addProperty("interval", new IntegerSchema().description("Seconds to wait between polls (5)")));
		schemas.put("TokenResponse", new ObjectSchema().addRequiredItem("access_token").addRequiredItem("token_type")
			.addProperty("access_token", string("A JWT (RFC 9068, typ at+jwt) for the REST API"))
			.addProperty("token_type", enumOf("Bearer", "DPoP"))
			.addProperty("expires_in", new IntegerSchema().description("Seconds until the access token expires"))
			.addProperty("refresh_token", string("authorization_code, password and device code grants; "
					+ "rotated on every use"))
			.addProperty("scope", string("The granted scopes, space-separated"))
			.addProperty("issued_token_type", string("token exchange: "
					+ "urn:ietf:params:oauth:token-type:access_token"))
			.addProperty("id_token", string("OpenID Connect, when openid was granted")));
		schemas.put("OAuthError", new ObjectSchema().description("RFC 6749 section 5.2").addRequiredItem("error")
			.addProperty("error", enumOf(ERROR_CODES.toArray(String[]::new)))
			.addProperty("error_description", string("Human-readable detail"))
			.addProperty("error_uri", string("A page about the error").format("uri")));
		schemas.put("IntrospectionResponse", new ObjectSchema().addRequiredItem("active")
			.addProperty("active", new BooleanSchema())
			.addProperty("scope", new StringSchema())
			.addProperty("client_id", new StringSchema())
			.addProperty("token_type", new StringSchema())
			.addProperty("cnf", new ObjectSchema().description("RFC 9449 6: jkt, the SHA-256 thumbprint of the key "
					+ "a DPoP token is bound to").addProperty("jkt", new StringSchema()))
			.addProperty("sub", new StringSchema())
			.addProperty("aud", new ArraySchema().items(new StringSchema()))
			.addProperty("iss", new StringSchema())
			.addProperty("jti", new StringSchema())
			.addProperty("exp", new IntegerSchema().format("int64"))
			.addProperty("iat", new IntegerSchema().format("int64"))
			.addProperty("nbf", new IntegerSchema().format("int64")));
		schemas.put("JwkSet", new ObjectSchema().addProperty("keys", new ArraySchema().items(new ObjectSchema()
			.description("A public JWK: kty, kid, alg, use and the key's parameters"))));
		schemas.put("UserInfo", new ObjectSchema().addRequiredItem("sub")
			.addProperty("sub", string("The user's ID"))
			.addProperty("name", new StringSchema())
			.addProperty("given_name", new StringSchema())
			.addProperty("family_name", new StringSchema())
			.addProperty("preferred_username", new StringSchema())
			.addProperty("email", new StringSchema()));
		schemas.put("ServerMetadata", new ObjectSchema().description("RFC 8414 / OpenID Connect Discovery")
			.addProperty("issuer", new StringSchema())
			.addProperty("authorization_endpoint", new StringSchema())
			.addProperty("token_endpoint", new StringSchema())
			.addProperty("introspection_endpoint", new StringSchema())
			.addProperty("revocation_endpoint", new StringSchema())
			.addProperty("pushed_authorization_request_endpoint", new StringSchema())
			.addProperty("device_authorization_endpoint", new StringSchema())
			.addProperty("require_pushed_authorization_requests", new BooleanSchema())
			.addProperty("end_session_endpoint", new StringSchema())
			.addProperty("jwks_uri", new StringSchema())
			.addProperty("userinfo_endpoint", new StringSchema())
			.addProperty("grant_types_supported", new ArraySchema().items(new StringSchema()))
			.addProperty("code_challenge_methods_supported", new ArraySchema().items(new StringSchema()))
			.addProperty("scopes_supported", new ArraySchema().items(new StringSchema())));
		return schemas;
	}

	/** The form of the introspection and revocation requests. */
	static Schema<?> tokenForm() {
		return new ObjectSchema().addRequiredItem("token")
			.addProperty("token", string("The token"))
			.addProperty("token_type_hint", enumOf("access_token", "refresh_token"))
			.addProperty("client_id", string("client_secret_post, private_key_jwt: the client's ID"))
			.addProperty("client_secret", string("client_secret_post: the client's secret").format("password"))
			.addProperty("client_assertion_type", clientAssertionType())
			.addProperty("client_assertion", clientAssertion());
	}

	static RequestBody form(Schema<?> schema) {
		return new RequestBody().required(true)
			.content(new Content().addMediaType(FORM, new MediaType().schema(schema)));
	}

	static ApiResponse json(String description, Schema<?> schema) {
		return new ApiResponse().description(description).content(new Content().addMediaType(JSON,
				new MediaType().schema(schema)));
	}

	static Schema<?> ref(String name) {
		return new Schema<>().$ref(SCHEMAS + name);
	}

	static StringSchema string(String description) {
		return (StringSchema) new StringSchema().description(description);
	}

	static StringSchema enumOf(String... values) {
		StringSchema schema = new StringSchema();
		schema.setEnum(List.of(values));
		return schema;
	}

}
