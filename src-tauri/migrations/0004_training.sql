-- Pre-departure training (courses, cohorts, sessions, enrolment, attendance, scores) and
-- the certificates issued to those who passed. Nothing here is ever deleted: a revoked
-- certificate stays on record next to the one that replaces it.

CREATE TABLE courses (
    id                     INTEGER PRIMARY KEY,
    name_uz                TEXT NOT NULL,
    name_uz_cyrl           TEXT NOT NULL,
    name_ru                TEXT NOT NULL,
    name_en                TEXT NOT NULL,
    hours                  INTEGER NOT NULL CHECK (hours > 0),
    -- Comma-separated module codes (training::MODULES).
    modules                TEXT NOT NULL DEFAULT '',
    pass_mark              INTEGER NOT NULL CHECK (pass_mark BETWEEN 0 AND 100),
    min_attendance_percent INTEGER NOT NULL CHECK (min_attendance_percent BETWEEN 0 AND 100),
    validity_months        INTEGER NOT NULL CHECK (validity_months > 0),
    -- Comma-separated ISO codes of the destinations it serves; empty = any.
    countries              TEXT NOT NULL DEFAULT '',
    archived_at            TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE cohorts (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses (id),
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    place      TEXT NOT NULL,
    trainer    TEXT NOT NULL,
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cohorts_by_course ON cohorts (course_id, id);

CREATE TABLE training_sessions (
    id        INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id),
    held_on   TEXT NOT NULL,
    hours     INTEGER NOT NULL CHECK (hours > 0)
);
CREATE INDEX sessions_by_cohort ON training_sessions (cohort_id, held_on, id);

CREATE TABLE enrolments (
    id          INTEGER PRIMARY KEY,
    cohort_id   INTEGER NOT NULL REFERENCES cohorts (id),
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    enrolled_at TEXT NOT NULL,
    enrolled_by TEXT NOT NULL,
    score       INTEGER CHECK (score BETWEEN 0 AND 100),
    scored_at   TEXT,
    UNIQUE (cohort_id, worker_id)
);
CREATE INDEX enrolments_by_worker ON enrolments (worker_id);

CREATE TABLE attendance (
    session_id INTEGER NOT NULL REFERENCES training_sessions (id),
    worker_id  INTEGER NOT NULL REFERENCES workers (id),
    present    INTEGER NOT NULL CHECK (present IN (0, 1)),
    marked_at  TEXT NOT NULL,
    marked_by  TEXT NOT NULL,
    PRIMARY KEY (session_id, worker_id)
) WITHOUT ROWID;

-- The number is PREFIX-YYYY-NNNNNN; (prefix, year, serial) is unique and the serial is
-- allocated as MAX + 1 inside the issuing write transaction, so numbers have no gaps and
-- are never reused (certificates are never deleted).
CREATE TABLE certificates (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    year          INTEGER NOT NULL,
    serial        INTEGER NOT NULL CHECK (serial > 0),
    worker_id     INTEGER NOT NULL REFERENCES workers (id),
    cohort_id     INTEGER NOT NULL REFERENCES cohorts (id),
    issued_on     TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    destination   TEXT,
    score         INTEGER NOT NULL,
    -- The signed text carried by the QR code.
    record        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
    revoked_at    TEXT,
    revoked_by    TEXT,
    revoke_reason TEXT,
    replaces_id   INTEGER REFERENCES certificates (id),
    issued_by     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (prefix, year, serial)
);
CREATE INDEX certificates_by_worker ON certificates (worker_id, id);
CREATE INDEX certificates_by_cohort ON certificates (cohort_id, id);

-- Public keys of other agencies whose certificates this office verifies offline.
CREATE TABLE trusted_keys (
    key_id         TEXT PRIMARY KEY,
    public_key     TEXT NOT NULL,
    licence_number TEXT NOT NULL,
    agency_name    TEXT NOT NULL,
    added_at       TEXT NOT NULL,
    added_by       TEXT NOT NULL
);
