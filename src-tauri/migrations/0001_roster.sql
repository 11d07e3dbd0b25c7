-- The roster. Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 UTC text: both sort
-- correctly as text and read the same in PostgreSQL.
CREATE TABLE workers (
    id                  INTEGER PRIMARY KEY,
    last_name           TEXT NOT NULL,
    first_name          TEXT NOT NULL,
    patronymic          TEXT,
    last_name_cyrillic  TEXT,
    first_name_cyrillic TEXT,
    patronymic_cyrillic TEXT,
    birth_date          TEXT NOT NULL,
    sex                 TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    pinfl               TEXT NOT NULL UNIQUE,
    passport_number     TEXT NOT NULL UNIQUE,
    passport_issued     TEXT NOT NULL,
    passport_expiry     TEXT NOT NULL,
    phone               TEXT,
    -- The phone's digits reversed, so "numbers ending in 4567" is an index range scan.
    phone_rev           TEXT,
    region              TEXT NOT NULL,
    destination_country TEXT,
    notes               TEXT,
    status              TEXT NOT NULL DEFAULT 'registered',
    archived            INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    archived_at         TEXT,
    -- Folded "last first": the possible-duplicate key.
    name_key            TEXT NOT NULL,
    -- Lower-case "last first patronymic": the roster's name order.
    sort_name           TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);

-- Each list order and filter has an index led by `archived`, so a page of 50 is an index
-- walk that stops after 50 rows, even at a million workers.
CREATE INDEX workers_by_name ON workers (archived, sort_name, id);
CREATE INDEX workers_by_status ON workers (archived, status, sort_name);
CREATE INDEX workers_by_region ON workers (archived, region, sort_name);
CREATE INDEX workers_by_destination ON workers (archived, destination_country, sort_name);
CREATE INDEX workers_by_birth ON workers (archived, birth_date);
CREATE INDEX workers_by_updated ON workers (archived, updated_at);
CREATE INDEX workers_by_name_key ON workers (name_key, birth_date);
CREATE INDEX workers_by_phone ON workers (phone);
CREATE INDEX workers_by_phone_rev ON workers (phone_rev);

-- The name search index: one row per folded word of a worker's names (both scripts),
-- with the literal word (to rank the exact spelling first) and the worker's sort name, so
-- a one-word search reads its first page straight off this index in display order.
CREATE TABLE worker_tokens (
    token     TEXT NOT NULL,
    literal   TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    worker_id INTEGER NOT NULL REFERENCES workers (id),
    PRIMARY KEY (token, literal, sort_name, worker_id)
) WITHOUT ROWID;
CREATE INDEX worker_tokens_by_worker ON worker_tokens (worker_id);

CREATE TABLE status_history (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX status_history_by_worker ON status_history (worker_id, id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
