-- Clients registered at /oauth/register (RFC 7591) and the registration access token that lets each read, replace
-- and delete itself at /oauth/register/{client_id} (RFC 7592). Only the token's SHA-256 is stored; the unique index
-- on it is the lookup of every RFC 7592 request.
create table client_registration (
    client_id               varchar(64) not null,
    token_hash              varchar(64) not null,
    -- the initial access token the client was registered with
    initial_access_token_id varchar(64) not null,
    created_at              timestamp with time zone not null,
    constraint client_registration_pk primary key (client_id),
    constraint client_registration_client_fk foreign key (client_id) references auth_client (id),
    constraint client_registration_initial_token_fk foreign key (initial_access_token_id)
        references initial_access_token (id),
    constraint client_registration_hash_uk unique (token_hash)
);
