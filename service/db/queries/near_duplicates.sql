-- name: lock_band_keys
-- Serialise ingests whose documents share an LSH band key (advisory locks held
-- to the end of the transaction, taken in key order so two ingests never deadlock):
-- of two copies of one story stored at the same moment, the second sees the first.
SELECT count(pg_advisory_xact_lock(7107432, k)) AS locked
FROM (SELECT DISTINCT (key & 2147483647)::int AS k
      FROM unnest(%(band_keys)s::bigint[]) AS key
      ORDER BY 1) ordered

-- name: find_near_duplicate
-- The most similar earlier document sharing a band key whose signature agrees
-- on at least threshold of its values; answers with the first copy it links to.
-- Candidates whose value_bits bound the agreement under the threshold are left
-- out before their signatures are compared (0005_signature_value_bits.sql).
SELECT coalesce(d.duplicate_of, d.id) AS first_copy_id, c.document_id AS matched_id,
       c.similarity
FROM (
    SELECT s.document_id,
           (SELECT count(*) FROM unnest(s.signature, %(signature)s::bigint[]) AS u(a, b)
            WHERE a = b)::float8 / cardinality(s.signature) AS similarity
    FROM document_signatures s
    WHERE s.scheme = %(scheme)s
      AND s.document_id IN (SELECT b.document_id FROM document_bands b
                            WHERE b.band_key = ANY(%(band_keys)s::bigint[]))
      AND CASE WHEN s.value_bits IS NULL OR %(value_bits)s::varbit IS NULL
                  OR length(s.value_bits) <> length(%(value_bits)s::varbit)
               THEN true  -- no prefilter: compared in full
               ELSE (cardinality(s.signature)
                     - bit_count(s.value_bits # %(value_bits)s::varbit) / 2)::float8
                    / cardinality(s.signature) >= %(threshold)s
          END
) c
JOIN documents d ON d.id = c.document_id
WHERE c.similarity >= %(threshold)s
ORDER BY c.similarity DESC, c.document_id
LIMIT 1

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

-- name: mark_near_duplicate
-- Record that a document repeats an earlier one: it links to the first copy and
-- weighs nothing in scoring (also if it is ever re-extracted).
UPDATE documents
SET status = 'near-duplicate', duplicate_of = %(first_copy_id)s, source_weight = 0
WHERE id = %(document_id)s
RETURNING id, url, content_hash, title, source, language, published_at, ingested_at, text,
          lexicon_version, extractor_version, status, duplicate_of
