-- Client credentials: a client may act as itself through a service account, an account row that the console shows
-- and to which permissions and groups are granted like any user's, but which can never sign in.
-- Public clients: no secret (browser and mobile apps), PKCE required, authorization code grant only.

alter table account add column service_account boolean default false not null;

alter table auth_client add column client_credentials boolean default false not null;
alter table auth_client add column public_client boolean default false not null;
alter table auth_client add column service_account_id bigint;
alter table auth_client add constraint auth_client_service_account_fk
    foreign key (service_account_id) references account (id);
create index auth_client_service_account_idx on auth_client (service_account_id);
