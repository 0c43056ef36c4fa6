-- The audit trail: every security-relevant event, searchable by actor, client, type and time, newest first.
-- event_type is subject_type.action ("auth_client.updated", "sign_in.failed"); actor_key the actor's name as the
-- filter compares it (lower(trim(username))); client_id the auth client the event concerns, when there is one.

alter table audit_record add column event_type varchar(130);
alter table audit_record add column actor_key varchar(255);
alter table audit_record add column client_id varchar(64);

update audit_record set event_type = subject_type || '.' || action, actor_key = lower(trim(actor_username));
update audit_record set client_id = subject_id where subject_type = 'auth_client';
update audit_record set client_id = (select p.client_id from personal_access_token p
                                     where cast(p.id as varchar(64)) = audit_record.subject_id)
where subject_type = 'personal_access_token';

alter table audit_record alter column event_type set not null;
alter table audit_record alter column actor_key set not null;

-- one index per filter, each ending in the list's order (occurred_at desc, id desc), so a page is one walk of an
-- index whatever is filtered; a second filter is checked on the rows the walk meets. Descending, because H2 walks
-- an index only forwards for an order by
create index audit_record_time_idx on audit_record (occurred_at desc, id desc);
create index audit_record_actor_idx on audit_record (actor_key, occurred_at desc, id desc);
create index audit_record_client_idx on audit_record (client_id, occurred_at desc, id desc);
create index audit_record_type_idx on audit_record (event_type, occurred_at desc, id desc);

-- the retention cleanup takes this row's lock, so of several nodes one deletes at a time
create table audit_cleanup_lock (
    id integer not null,
    constraint audit_cleanup_lock_pk primary key (id)
);
insert into audit_cleanup_lock (id) values (1);

insert into permission (name, title, category, position) values ('view-audit', 'View Audit Log', 'Audit Log', 13);
insert into group_permission (group_id, permission_name)
select id, 'view-audit' from user_group where name_key = 'administrators';
