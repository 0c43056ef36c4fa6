-- a rotated refresh token presented again within the grace period rotates once more; this marks that it has
alter table oauth_token add column grace_used boolean default false not null;
