-- Keys that sign access and ID tokens (module tokens). Every node reads the same rows, so every node signs with the
-- same active key and publishes the same JWKS. The private key is stored as JWK JSON: protect this database.
create table signing_key (
    kid          varchar(64)              not null,
    algorithm    varchar(16)              not null,
    -- the JWK JSON including its private part; an RSA 4096 private JWK is about 3,300 characters
    jwk          varchar(8000)            not null,
    created_at   timestamp with time zone not null,
    -- when it starts signing; a successor is published in the JWKS before this instant
    activates_at timestamp with time zone not null,
    -- when it stops signing (the successor's activates_at); null while it has no successor
    retires_at   timestamp with time zone,
    -- when it leaves the JWKS: retires_at + the longest token lifetime + clock skew
    expires_at   timestamp with time zone,
    constraint signing_key_pk primary key (kid),
    constraint signing_key_retires_after_activation check (retires_at is null or retires_at >= activates_at),
    constraint signing_key_expires_after_retirement check (expires_at is null or (retires_at is not null and expires_at >= retires_at))
);

create index signing_key_activates_at_idx on signing_key (activates_at);

-- One row, locked with select ... for update while a node decides whether to create the next key, so two nodes never
-- create one at the same time.
create table signing_key_lock (
    id integer not null,
    constraint signing_key_lock_pk primary key (id),
    constraint signing_key_lock_single_row check (id = 1)
);

insert into signing_key_lock (id) values (1);
