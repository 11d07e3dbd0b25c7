-- What `audit verify` needs beyond the hash chain to notice a rewritten file.
--
-- Seals: every audit entry records the state its change left each record in (a SHA-256 of
-- the row), and its own hash covers a digest of those seals. A worker's PINFL or name
-- changed outside Safar then no longer matches his last seal; deleting entries leaves
-- records without a seal; editing a seal breaks its entry's hash.
ALTER TABLE audit_log ADD COLUMN seals TEXT;

CREATE TABLE record_seals (
    record_type TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    audit_id    INTEGER NOT NULL REFERENCES audit_log (id),
    hash        TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, audit_id)
) WITHOUT ROWID;
CREATE INDEX record_seals_by_entry ON record_seals (audit_id);
CREATE TRIGGER record_seals_no_update BEFORE UPDATE ON record_seals
BEGIN
    SELECT RAISE(ABORT, 'record_seals is append-only');
END;
CREATE TRIGGER record_seals_no_delete BEFORE DELETE ON record_seals
BEGIN
    SELECT RAISE(ABORT, 'record_seals is append-only');
END;

-- Checkpoints: the chain's head signed with the agency's key (daily and every 100
-- entries). Rewriting the chain after a checkpoint needs the key; cutting it short leaves a
-- checkpoint the chain no longer reaches.
CREATE TABLE audit_checkpoints (
    id        INTEGER PRIMARY KEY,
    entry_id  INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    at        TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;
