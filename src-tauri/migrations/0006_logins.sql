-- Logins are unique without regard to case: `ADMIN` and `admin` are one account. Logins
-- are ASCII (letters, digits, . _ -), which SQLite's NOCASE folds completely.
--
-- A database made before this rule may hold two logins that differ only in case. The
-- later of them (the higher id) is renamed `login-ID` so the index can be built; nothing is
-- deleted, and the admin sees the new name in the users list.
UPDATE users SET login = login || '-' || id
WHERE EXISTS (SELECT 1 FROM users u WHERE u.login = users.login COLLATE NOCASE AND u.id < users.id);
CREATE UNIQUE INDEX users_login_nocase ON users (login COLLATE NOCASE);

-- Failed sign-ins with a login that names no account are counted and locked exactly as an
-- account's are, so the lock-out does not tell which logins exist. The key is a slow hash
-- (argon2id) of the login folded to lower case, never the typed text: that text may be a
-- password typed into the wrong field.
CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT
) WITHOUT ROWID;
