-- Tokens issued per client and grant type, one row per hour (usage.TokenUsage): each node counts in memory and adds
-- its counts to these rows once a minute, so the token endpoint writes nothing for them. The primary key serves one
-- client's chart (client_id, then a range of hours); the hour index (covering) serves the dashboard's totals and top clients
-- over a window, and the retention's delete.
create table token_usage (
    client_id   varchar(64)              not null,
    grant_type  varchar(32)              not null,
    hour_start  timestamp with time zone not null,
    token_count bigint                   not null,
    constraint token_usage_pk primary key (client_id, grant_type, hour_start)
);

create index token_usage_hour_idx on token_usage (hour_start, client_id, grant_type, token_count);
