-- RFC 9126 4: a request URI is used once. It is bound to the first browser that presents it (the SHA-256 of a random
-- value kept in a cookie of that browser), so the same browser may come back to it after signing in, and any other
-- browser is refused. Set on request_uri rows only; null on the other token types and on a request URI not yet seen.
alter table oauth_token add column user_agent_hash varchar(64);
