-- Expired tokens are deleted hourly (TokenCleanup): the delete reads this index instead of the whole table.
create index oauth_token_expires_idx on oauth_token (expires_at);
-- Withdrawing consent revokes one user's grants to one client.
create index oauth_authorization_account_client_idx on oauth_authorization (account_id, client_id);
