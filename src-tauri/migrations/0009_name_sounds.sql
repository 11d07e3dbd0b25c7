-- The sound key (src/phonetic.rs): one row per distinct sound of a worker's name words
-- (both scripts), ordered like worker_tokens so a one-word "similar spelling" search reads
-- its page straight off the primary key; plus one row per worker whose sound is
-- "<last> <first>@<birth date>", the possible-duplicate key (a space and @ never occur in a
-- word's sound). Kept out of `workers` so the sealed row states (audit verify) do not change.
-- Rows for existing workers are computed in Rust right after this file runs, in the same
-- transaction (store/sounds.rs, backfill).
CREATE TABLE worker_sounds (
    sound     TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    worker_id INTEGER NOT NULL REFERENCES workers (id),
    PRIMARY KEY (sound, sort_name, worker_id)
) WITHOUT ROWID;
CREATE INDEX worker_sounds_by_worker ON worker_sounds (worker_id);

-- The duplicate look-up reads worker_sounds now: the folded-name index is one less B-tree
-- for every write to keep up.
DROP INDEX workers_by_name_key;
