-- Failed logins per username, shared by every node (signin.LoginThrottle), so that N nodes do not give a guesser N
-- times the attempts. One row per username, counted by an atomic update; a row whose 15-minute window is over is
-- deleted by a scheduled job. The username is kept only as the SHA-256 of its normalised form: what people type into
-- a login form's username field is sometimes their password.
create table login_throttle (
    username_hash   varchar(64)              not null,
    failures        integer                  not null,
    last_failure_at timestamp with time zone not null,
    constraint login_throttle_pk primary key (username_hash)
);

create index login_throttle_last_failure_idx on login_throttle (last_failure_at);
