-- RFC 9449 11.1: a DPoP proof is used once. Each accepted proof's jti (only its SHA-256) is inserted here, on every
-- node into the same table, until its iat is too old for the proof to be accepted anyway; a second insert of the same
-- jti fails on the primary key, and that proof is refused as replayed. Expired rows are deleted by the token cleanup.
create table dpop_proof (
    jti_hash varchar(64) not null,
    expires_at timestamp with time zone not null,
    constraint pk_dpop_proof primary key (jti_hash)
);
create index ix_dpop_proof_expires_at on dpop_proof (expires_at);

-- RFC 9449 8: the key of the server-provided nonces, the same on every node: a nonce is an HMAC of the current time
-- window under this key. One row, written by the first node that needs it.
create table dpop_nonce_key (
    id integer not null,
    secret varchar(64) not null,
    constraint pk_dpop_nonce_key primary key (id)
);
