-- name: lock_band_keys
-- Serialise ingests whose documents share an LSH band key (advisory locks held
-- to the end of the transaction, taken in key order so two ingests never deadlock):
-- of two copies of one story stored at the same moment, the second sees the first.
SELECT count(pg_advisory_xact_lock(7107432, k)) AS locked
FROM (SELECT DISTINCT (key & 2147483647)::int AS k
      FROM unnest(%(band_keys)s::bigint[]) AS key
      ORDER BY 1) ordered

-- name: insert_signature
-- Keep a document's signature and its band keys.
WITH sig AS (
    INSERT INTO document_signatures (document_id, scheme, signature, value_bits)
    VALUES (%(document_id)s, %(scheme)s, %(signature)s::bigint[], %(value_bits)s::varbit)
    ON CONFLICT (document_id) DO NOTHING
    RETURNING document_id
)
INSERT INTO document_bands (band_key, document_id)
SELECT DISTINCT key, sig.document_id FROM sig, unnest(%(band_keys)s::bigint[]) AS key
ON CONFLICT DO NOTHING

