-- Usernames that look like another one ("paypa1" for "paypal", Cyrillic "а" for Latin "a") are refused: each account
-- stores the Unicode TR 39 skeleton of its username (case-folded, as a SHA-256 in hex; see accounts.Usernames) under
-- a unique index. V13_1 fills it in for existing accounts. It stays null for an account whose username looked like
-- an older account's before this rule: that account keeps its name, and nobody new can take one like it.
alter table account add column username_skeleton varchar(64);
create unique index account_username_skeleton_uk on account (username_skeleton);
