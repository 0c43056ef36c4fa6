-- when a token was last issued to the client (written at most about once a minute), so dead clients can be found;
-- never-used clients sort as the oldest, and the list orders by it through this index
alter table auth_client add column last_used_at timestamp with time zone;
create index auth_client_list_last_used_idx on auth_client (last_used_at nulls first, id);
