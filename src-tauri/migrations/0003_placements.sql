-- Foreign employers, job orders, employment contracts, journeys and the fee ledger.
-- Money is integer minor units plus an ISO 4217 code; never a float.

CREATE TABLE employers (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT NOT NULL,
    country                 TEXT NOT NULL,
    city                    TEXT,
    address                 TEXT,
    registration_number     TEXT,
    contact_person          TEXT,
    phone                   TEXT,
    email                   TEXT,
    cooperation_number      TEXT NOT NULL,
    cooperation_signed_on   TEXT NOT NULL,
    cooperation_valid_until TEXT NOT NULL,
    archived_at             TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX employers_by_name ON employers (name);

CREATE TABLE job_orders (
    id                 INTEGER PRIMARY KEY,
    employer_id        INTEGER NOT NULL REFERENCES employers (id),
    position           TEXT NOT NULL,
    places             INTEGER NOT NULL CHECK (places > 0),
    country            TEXT NOT NULL,
    salary_minor       INTEGER NOT NULL CHECK (salary_minor >= 0),
    salary_currency    TEXT NOT NULL,
    hours_per_week     INTEGER NOT NULL,
    term_months        INTEGER NOT NULL,
    housing_paid_by    TEXT NOT NULL CHECK (housing_paid_by IN ('employer', 'worker')),
    insurance_paid_by  TEXT NOT NULL CHECK (insurance_paid_by IN ('employer', 'worker')),
    travel_paid_by     TEXT NOT NULL CHECK (travel_paid_by IN ('employer', 'worker')),
    visa_paid_by       TEXT NOT NULL CHECK (visa_paid_by IN ('employer', 'worker')),
    platform_reference TEXT,
    deadline           TEXT,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'closed')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX job_orders_by_employer ON job_orders (employer_id);

CREATE TABLE contracts (
    id                  INTEGER PRIMARY KEY,
    worker_id           INTEGER NOT NULL REFERENCES workers (id),
    job_order_id        INTEGER NOT NULL REFERENCES job_orders (id),
    number              TEXT NOT NULL,
    signed_on           TEXT NOT NULL,
    starts_on           TEXT NOT NULL,
    ends_on             TEXT NOT NULL,
    position            TEXT NOT NULL,
    salary_minor        INTEGER NOT NULL CHECK (salary_minor >= 0),
    salary_currency     TEXT NOT NULL,
    hours_per_week      INTEGER NOT NULL,
    housing_paid_by     TEXT NOT NULL,
    insurance_paid_by   TEXT NOT NULL,
    travel_paid_by      TEXT NOT NULL,
    visa_paid_by        TEXT NOT NULL,
    registration_number TEXT,
    registered_on       TEXT,
    status              TEXT NOT NULL DEFAULT 'draft',
    status_reason       TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contracts_by_worker ON contracts (worker_id, id);
CREATE INDEX contracts_by_job_order ON contracts (job_order_id, status);

-- One row per trip abroad: the departure, later completed by the return.
CREATE TABLE journeys (
    id              INTEGER PRIMARY KEY,
    worker_id       INTEGER NOT NULL REFERENCES workers (id),
    contract_id     INTEGER NOT NULL REFERENCES contracts (id),
    departed_on     TEXT NOT NULL,
    route           TEXT,
    border_crossing TEXT,
    returned_on     TEXT,
    return_reason   TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX journeys_by_worker ON journeys (worker_id, id);

CREATE TABLE fees (
    id             INTEGER PRIMARY KEY,
    worker_id      INTEGER NOT NULL REFERENCES workers (id),
    paid_by        TEXT NOT NULL CHECK (paid_by IN ('employer', 'worker')),
    purpose        TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL,
    paid_on        TEXT NOT NULL,
    receipt_number TEXT NOT NULL,
    reason         TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX fees_by_worker ON fees (worker_id, id);

-- Scanned documents of a contract, stored as files named by their SHA-256 under the data
-- directory's attachments/ folder; the row records what and who.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    contract_id   INTEGER NOT NULL REFERENCES contracts (id),
    sha256        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png')),
    size          INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    added_by      TEXT NOT NULL
);
CREATE INDEX attachments_by_contract ON attachments (contract_id, id);
