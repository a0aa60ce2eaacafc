-- The evidence that weighs most in each current stance, written by every re-score
-- of the pair (service/db/queries/stances.sql, write_scored), so a stance's detail
-- reads a few rows by id instead of ranking all of the pair's evidence per request.
-- NULL until the pair's first re-score after this migration: readers then rank live.
ALTER TABLE stances ADD COLUMN top_evidence_ids bigint[];
