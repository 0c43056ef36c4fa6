-- OpenID Connect RP-Initiated Logout 1.0: where a client may have the browser sent back after logout, one URL a line
alter table auth_client add column post_logout_redirect_uris text default '' not null;
