-- RFC 8693: a token exchange grant hangs off the grant of the subject token it was exchanged for, and is revoked with
-- it; looked up by that grant when it is revoked
alter table oauth_authorization add column parent_id varchar(64);
create index oauth_authorization_parent_idx on oauth_authorization (parent_id);
