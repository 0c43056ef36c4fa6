-- per-client token lifetimes (seconds, null for the server's), the scopes it may ask for (space-separated, null for
-- all) and whether its users are asked for consent
alter table auth_client add column access_token_ttl_seconds bigint;
alter table auth_client add column refresh_token_ttl_seconds bigint;
alter table auth_client add column allowed_scopes varchar(255);
alter table auth_client add column skip_consent boolean default false not null;
