-- A protected group keeps its name, its permissions and its existence unless a super admin changes them. The seeded
-- Administrators group is the one: it holds every permission, so emptying, renaming or deleting it is for super
-- admins only. (Its members and description follow the rule for every group: every permission it holds.)
alter table user_group add column protected boolean default false not null;

update user_group set protected = true where name_key = 'administrators';
