-- RFC 9126 5: a client may be held to pushed authorization requests only.
-- Pushed requests themselves need no schema change: each is a grant in oauth_authorization whose request_uri is an
-- oauth_token row of token_type 'request_uri' (only its SHA-256 stored), expiring with the request URI.
alter table auth_client add column require_par boolean default false not null;
