-- RFC 8628: the device authorization grant, off unless enabled per client
alter table auth_client add column device_code boolean default false not null;
