-- Column mappings the user corrected during an import, reused for the next file whose
-- headers have the same shape (their folded text in order).
CREATE TABLE import_mappings (
    shape      TEXT PRIMARY KEY,
    mapping    TEXT NOT NULL, -- JSON object: field → header
    saved_at   TEXT NOT NULL,
    saved_by   TEXT NOT NULL
);
