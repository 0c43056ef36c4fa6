-- RFC 9449 5.2 (dpop_bound_access_tokens): a client may be held to DPoP, so that every token request of it must carry
-- a DPoP proof and every access token it gets is bound to the client's key.
alter table auth_client add column require_dpop boolean default false not null;
