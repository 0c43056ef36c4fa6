-- A client may hold several secrets at once, so that one can be rotated without downtime: the new secret is added,
-- the application switches to it, and the old one expires at a chosen time or is revoked. Each is stored only as the
-- SHA-256 of its value; the unique index on the hash is what the token endpoint's lookup and the rule "no two
-- secrets alike" rest on.
create table auth_client_secret (
    id           varchar(64)  not null,
    client_id    varchar(64)  not null,
    secret_hash  varchar(64)  not null,
    -- the secret's first characters (prefix and four more), to tell secrets apart; never enough to use one
    label        varchar(32)  not null,
    created_at   timestamp with time zone not null,
    -- null: until revoked
    expires_at   timestamp with time zone,
    -- written at most once a minute per secret
    last_used_at timestamp with time zone,
    revoked_at   timestamp with time zone,
    constraint auth_client_secret_pk primary key (id),
    constraint auth_client_secret_client_fk foreign key (client_id) references auth_client (id),
    constraint auth_client_secret_hash_uk unique (secret_hash)
);
-- a client's secrets, newest first (the edit page, the API, the token endpoint's load of a client)
create index auth_client_secret_client_idx on auth_client_secret (client_id, created_at);

-- each live confidential client keeps the secret it has; it was created with the client (nothing older is known).
-- The all-zero hash is the placeholder of clients that never had a usable secret.
insert into auth_client_secret (id, client_id, secret_hash, label, created_at)
select id, id, secret_hash, 'gtcs_…', created_at
from auth_client
where revoked = false and public_client = false
  and secret_hash <> '0000000000000000000000000000000000000000000000000000000000000000';

alter table auth_client drop column secret_hash;
