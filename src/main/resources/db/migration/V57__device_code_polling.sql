-- RFC 8628 3.5: when a device code was last polled and the interval its client must keep (raised by 5 s on each
-- slow_down), on the device code's own row so every node sees them; null on every other token.
alter table oauth_token add column polled_at timestamp with time zone;
alter table oauth_token add column poll_interval integer;

-- Wrong user codes entered on /device per signed-in user, shared by every node (oauth.DeviceCodeThrottle): one row
-- per account, counted by an atomic update as login_throttle is; rows past their window are deleted hourly.
create table device_code_throttle (
    account_id      bigint                   not null,
    failures        integer                  not null,
    last_failure_at timestamp with time zone not null,
    constraint device_code_throttle_pk primary key (account_id)
);

create index device_code_throttle_last_failure_idx on device_code_throttle (last_failure_at);
