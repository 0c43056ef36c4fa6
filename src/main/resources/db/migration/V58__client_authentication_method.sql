-- How a client authenticates at the token endpoint (RFC 7591 token_endpoint_auth_method): client_secret_basic,
-- client_secret_post, private_key_jwt (RFC 7523 2.2) or none (a public client). A private_key_jwt client's public
-- keys are given inline (jwks, a JSON Web Key Set with public keys only) or as a jwks_uri fetched by the server.
alter table auth_client add column token_endpoint_auth_method varchar(32) default 'client_secret_basic' not null;
alter table auth_client add column jwks text;
alter table auth_client add column jwks_uri varchar(2000);
update auth_client set token_endpoint_auth_method = 'none' where public_client = true;
alter table auth_client add constraint auth_client_auth_method_ck check (token_endpoint_auth_method in
    ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'));
