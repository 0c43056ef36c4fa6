-- Initial access tokens (RFC 7591 3): what an administrator hands a pipeline so that it may register clients at
-- /oauth/register. Stored only as the SHA-256 of the value; they always expire. A single-use token is claimed by
-- setting used_at in the registering transaction, so two requests with it at the same time register one client.
create table initial_access_token (
    id          varchar(64)  not null,
    name        varchar(255) not null,
    token_hash  varchar(64)  not null,
    expires_at  timestamp with time zone not null,
    single_use  boolean      not null,
    -- the last registration with it; for a single-use token, the one
    used_at     timestamp with time zone,
    -- the username of the administrator who created it
    created_by  varchar(255) not null,
    created_at  timestamp with time zone not null,
    revoked     boolean      not null,
    constraint initial_access_token_pk primary key (id),
    constraint initial_access_token_hash_uk unique (token_hash)
);
-- the console's and the API's list, newest first
create index initial_access_token_created_idx on initial_access_token (created_at);
