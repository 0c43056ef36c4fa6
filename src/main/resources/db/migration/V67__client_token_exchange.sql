-- RFC 8693 token exchange: the grant, off by default, and the clients it may issue tokens for (one client id a line)
alter table auth_client add column token_exchange boolean default false not null;
alter table auth_client add column token_exchange_audiences text default '' not null;
