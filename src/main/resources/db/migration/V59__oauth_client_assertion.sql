-- RFC 7523 3 (7): a client assertion is used once. Each accepted assertion's jti (as its SHA-256, per client) is kept
-- until the assertion expires; the primary key makes a second use fail on every node, however close together.
create table oauth_client_assertion (
    client_id  varchar(64) not null,
    jti_hash   varchar(64) not null,
    expires_at timestamp with time zone not null,
    constraint oauth_client_assertion_pk primary key (client_id, jti_hash)
);
-- the cleanup deletes expired rows
create index oauth_client_assertion_expires_idx on oauth_client_assertion (expires_at);
