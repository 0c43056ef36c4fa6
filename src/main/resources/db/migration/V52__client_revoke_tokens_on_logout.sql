-- OpenID Connect RP-initiated logout through a client may also revoke the user's tokens for it
alter table auth_client add column revoke_tokens_on_logout boolean default false not null;
