-- The OAuth 2.0 token store: one row per grant (authorization) and one per token it issued. Every bearer secret
-- (authorization codes, access tokens, refresh tokens, ID tokens) is stored only as the SHA-256 of its value, so a
-- copy of the database holds no usable credential. Each lookup is an index hit: by token hash (primary key), by
-- client, by account, by grant.

create table oauth_authorization (
    id             varchar(64)   not null,
    client_id      varchar(64)   not null,
    -- the user the grant acts for (null for client credentials)
    account_id     bigint,
    principal_name varchar(255)  not null,
    grant_type     varchar(64)   not null,
    scopes         varchar(1000) not null,
    -- JSON: the authorization request (redirect URI, PKCE challenge, state) and other grant attributes; no secrets
    attributes     varchar(16000) not null,
    created_at     timestamp with time zone not null,
    revoked_at     timestamp with time zone,
    constraint oauth_authorization_pk primary key (id),
    constraint oauth_authorization_client_fk foreign key (client_id) references auth_client (id),
    constraint oauth_authorization_account_fk foreign key (account_id) references account (id) on delete cascade
);
create index oauth_authorization_client_idx on oauth_authorization (client_id, grant_type);
create index oauth_authorization_account_idx on oauth_authorization (account_id);

create table oauth_token (
    token_hash       varchar(64)  not null,
    authorization_id varchar(64)  not null,
    -- authorization_code, access_token, refresh_token, id_token
    token_type       varchar(32)  not null,
    issued_at        timestamp with time zone not null,
    expires_at       timestamp with time zone,
    -- set when the token was used up (codes), rotated away (refresh tokens) or revoked
    invalidated_at   timestamp with time zone,
    -- a rotated refresh token presented again means the grant was stolen: the whole grant is revoked
    superseded       boolean      not null,
    -- JSON: token claims and metadata, as the authorization server keeps them; no secrets
    metadata         varchar(16000) not null,
    constraint oauth_token_pk primary key (token_hash),
    constraint oauth_token_authorization_fk foreign key (authorization_id) references oauth_authorization (id)
        on delete cascade
);
create index oauth_token_authorization_idx on oauth_token (authorization_id, token_type);

-- Consent a user gave a client for a set of scopes, remembered until the user withdraws it.
create table oauth_consent (
    client_id  varchar(64)   not null,
    account_id bigint        not null,
    scopes     varchar(1000) not null,
    granted_at timestamp with time zone not null,
    constraint oauth_consent_pk primary key (client_id, account_id),
    constraint oauth_consent_client_fk foreign key (client_id) references auth_client (id),
    constraint oauth_consent_account_fk foreign key (account_id) references account (id) on delete cascade
);
create index oauth_consent_account_idx on oauth_consent (account_id);
