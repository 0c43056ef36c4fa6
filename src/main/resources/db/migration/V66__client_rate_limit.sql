-- the token endpoint's per-client rate limit (a token bucket per node): null for none
alter table auth_client add column rate_limit_per_second integer;
alter table auth_client add column rate_limit_burst integer;
