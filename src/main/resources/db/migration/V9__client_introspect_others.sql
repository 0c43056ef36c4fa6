-- A client an administrator marks as a resource server may introspect tokens issued to other clients (RFC 7662).
-- Every other client learns only about its own tokens; to it, anyone else's token is {"active": false}.

alter table auth_client add column introspect_others boolean default false not null;
