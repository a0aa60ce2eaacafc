-- name: find_document_by_identity
-- The document that already has this url or this content hash, if any.
SELECT id, url, content_hash, title, source, language, published_at, ingested_at, text,
       lexicon_version, extractor_version, status, duplicate_of
FROM documents
WHERE (%(url)s::text IS NOT NULL AND url = %(url)s) OR content_hash = %(content_hash)s
ORDER BY id
LIMIT 1

-- name: get_document
-- One document by id.
SELECT id, url, content_hash, title, source, language, published_at, ingested_at, text,
       lexicon_version, extractor_version, status, duplicate_of
FROM documents
WHERE id = %(id)s

-- name: list_documents
-- Documents newest first (event time), filtered, after a keyset cursor.
SELECT d.id, d.url, d.title, d.source, d.language, d.published_at, d.ingested_at, d.status,
       d.duplicate_of,
       (SELECT count(*) FROM evidence e WHERE e.document_id = d.id)::int AS evidence_count
FROM documents d
WHERE (%(since)s::timestamptz IS NULL OR d.published_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR d.published_at <= %(until)s)
  AND (%(source)s::text IS NULL OR d.source = %(source)s)
  AND ((%(actor)s::text IS NULL AND %(topic)s::text IS NULL) OR EXISTS (
        SELECT 1 FROM evidence e
        WHERE e.document_id = d.id
          AND (%(actor)s::text IS NULL OR e.actor_id = %(actor)s)
          AND (%(topic)s::text IS NULL OR e.topic_id = %(topic)s)))
  AND (%(after_published)s::timestamptz IS NULL
       OR (d.published_at, d.id) < (%(after_published)s, %(after_id)s::bigint))
ORDER BY d.published_at DESC, d.id DESC
LIMIT %(limit)s

-- name: count_documents
-- How many documents are stored (used to decide whether to load the seeds).
SELECT count(*)::int AS n FROM documents

-- name: claim_outdated
-- Documents extracted with another lexicon or extractor version, locked for
-- re-extraction (other workers skip them rather than wait).
SELECT id, text, published_at, source_weight
FROM documents
WHERE (lexicon_version <> %(lexicon_version)s OR extractor_version <> %(extractor_version)s)
  AND status = 'extracted'  -- a near-duplicate's evidence is its first copy's
ORDER BY id
LIMIT %(limit)s
FOR UPDATE SKIP LOCKED

-- name: mark_extracted
-- Record the lexicon and extractor versions a document was extracted with.
UPDATE documents
SET lexicon_version = %(lexicon_version)s, extractor_version = %(extractor_version)s,
    extracted_at = now()
WHERE id = %(id)s

-- name: insert_document_checking_near_duplicates
-- Store a document unless its url or content hash is already known (no row then).
-- In the same statement, the near-duplicate check: when an earlier document sharing
-- one of its band keys has a signature agreeing on at least threshold of its values
-- (the most similar one, ties by id), the document is stored as a near-duplicate of
-- that one's first copy, weighing nothing (source_weight 0, also if re-extracted).
-- Candidates whose value_bits bound the agreement under the threshold are left out
-- before their signatures are compared (0005_signature_value_bits.sql). No
-- threshold or no signature: no check.
WITH match AS (
    SELECT coalesce(d.duplicate_of, d.id) AS first_copy_id
    FROM (
        SELECT s.document_id,
               (SELECT count(*) FROM unnest(s.signature, %(signature)s::bigint[]) AS u(a, b)
                WHERE a = b)::float8 / cardinality(s.signature) AS similarity
        FROM document_signatures s
        WHERE %(threshold)s::float8 IS NOT NULL
          AND s.scheme = %(scheme)s::text
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
    WHERE c.similarity >= %(threshold)s::float8
    ORDER BY c.similarity DESC, c.document_id
    LIMIT 1
)
INSERT INTO documents (url, content_hash, title, source, source_id, source_weight, language,
                       published_at, text, raw_html, lexicon_version, extractor_version,
                       status, duplicate_of)
SELECT %(url)s::text, %(content_hash)s::text, %(title)s::text, %(source)s::text,
       %(source_id)s::bigint,
       CASE WHEN m.first_copy_id IS NULL THEN %(source_weight)s::real ELSE 0 END,
       %(language)s::text, %(published_at)s::timestamptz, %(text)s::text, %(raw_html)s::text,
       %(lexicon_version)s::text, %(extractor_version)s::text,
       CASE WHEN m.first_copy_id IS NULL THEN 'extracted' ELSE 'near-duplicate' END,
       m.first_copy_id
FROM (VALUES (1)) AS one (x)
LEFT JOIN match m ON true
ON CONFLICT DO NOTHING
RETURNING id, status, duplicate_of
