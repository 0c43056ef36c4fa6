-- Scheduled jobs that must run on one node at a time (ShedLock's JDBC provider, with the database's clock): one row
-- per job, held until lock_until. ShedLock's own schema: on PostgreSQL it writes the database's UTC time as a
-- timestamp without time zone, so these columns are plain timestamps.
create table shedlock (
    name       varchar(64)  not null,
    lock_until timestamp    not null,
    locked_at  timestamp    not null,
    locked_by  varchar(255) not null,
    constraint shedlock_pk primary key (name)
);
