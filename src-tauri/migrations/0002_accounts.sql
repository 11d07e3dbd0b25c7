-- Accounts, the agency profile, consents and the tamper-evident audit trail.

CREATE TABLE agency (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL,
    licence_number TEXT NOT NULL,
    licence_date   TEXT NOT NULL,
    address        TEXT NOT NULL,
    director       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'viewer')),
    -- argon2id PHC string; never the password.
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

-- One row per consent given; the newest one of a worker is the one in force.
CREATE TABLE consents (
    id                  INTEGER PRIMARY KEY,
    worker_id           INTEGER NOT NULL REFERENCES workers (id),
    given_on            TEXT NOT NULL,
    purpose             TEXT NOT NULL,
    data_list           TEXT NOT NULL,
    valid_until         TEXT NOT NULL,
    may_transfer_abroad INTEGER NOT NULL CHECK (may_transfer_abroad IN (0, 1)),
    withdrawn_on        TEXT,
    withdrawn_reason    TEXT,
    recorded_at         TEXT NOT NULL,
    recorded_by         TEXT NOT NULL
);
CREATE INDEX consents_by_worker ON consents (worker_id, id);

-- Append-only: each entry stores the hash of the previous one (SHA-256 over a canonical
-- form that includes its own id), so an edit, a deletion or a swap breaks the chain at
-- that entry. The triggers stop accidents; `safar audit verify` catches the rest.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT,
    record_id   INTEGER,
    changes     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_by_record ON audit_log (record_type, record_id, id);
CREATE INDEX audit_by_actor ON audit_log (actor, id);
CREATE INDEX audit_by_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
