-- name: lock_rescore
-- Serialise every writer of stances (re-scores, pins) for this transaction, so
-- concurrent re-scores never write duplicate or out-of-order versions.
SELECT pg_advisory_xact_lock(7234516390812345)

-- name: claim_due_pairs
-- Take the pairs due for re-scoring off the queue (rows another transaction
-- holds are skipped, not waited for).
DELETE FROM stance_queue
WHERE (actor_id, topic_id) IN (
    SELECT actor_id, topic_id FROM stance_queue
    ORDER BY enqueued_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED)
RETURNING actor_id, topic_id

-- name: clear_queue
-- A full re-score covers every pair, so nothing stays due (the pairs that were are
-- returned: their evidence changed since their last re-score).
DELETE FROM stance_queue
RETURNING actor_id, topic_id

-- name: all_pairs
-- Every (actor, topic) combination.
SELECT a.id AS actor_id, t.id AS topic_id
FROM actors a CROSS JOIN topics t
WHERE (%(actor)s::text IS NULL OR a.id = %(actor)s)
  AND (%(topic)s::text IS NULL OR t.id = %(topic)s)
ORDER BY a.id, t.id

-- name: score_pairs
-- The stance of each given pair as of a time, from the evidence published by
-- then (the formula of service/scoring/formula.py, via the stance_* functions):
-- one parallel-safe hash aggregate. The evidence is filtered by the sets of
-- actors and of topics involved (index scans for a few pairs, a parallel scan
-- for all of them); pairs scored but not asked for are dropped by the join.
WITH agg AS (
    SELECT actor_id, topic_id, count(*) AS n, sum(raw) AS raw_total, sum(w) AS total,
           sum(w * p) AS signed, sum(w * p) FILTER (WHERE p > 0) AS positive,
           sum(w * abs(p)) AS absolute, max(published_at) AS last_at
    FROM (
        SELECT e.actor_id, e.topic_id, e.polarity::float8 AS p, e.published_at,
               e.strength::float8 * e.confidence * e.source_weight AS raw,
               stance_weight(e.strength::float8 * e.confidence * e.source_weight,
                             e.published_at, %(as_of)s, %(half_life_days)s) AS w
        FROM evidence e
        WHERE NOT e.rejected AND e.published_at <= %(as_of)s
          AND e.actor_id = ANY(%(actor_set)s::text[])
          AND e.topic_id = ANY(%(topic_set)s::text[])
    ) weighted
    GROUP BY actor_id, topic_id
)
SELECT d.actor_id, d.topic_id,
       stance_score(a.n, a.raw_total, a.total, a.signed, %(min_weight)s) AS score,
       stance_label(a.n, a.raw_total, a.total, a.signed, a.positive, a.absolute,
                    %(min_weight)s, %(threshold)s, %(minority_share)s) AS label,
       stance_confidence(a.n, a.raw_total, a.total, a.signed, a.absolute,
                         %(min_weight)s, %(confidence_scale)s) AS confidence,
       coalesce(a.n, 0)::int AS evidence_count,
       a.last_at AS last_evidence_at
FROM (SELECT DISTINCT * FROM unnest(%(actor_ids)s::text[], %(topic_ids)s::text[])
      AS u(actor_id, topic_id)) d
LEFT JOIN agg a USING (actor_id, topic_id)
ORDER BY d.actor_id, d.topic_id

-- name: write_scored
-- Given freshly scored pairs: append a version where the label changed or the
-- score or confidence moved by more than epsilon (never for a pinned pair),
-- then bring the current stances up to date. The machine's view (auto_*) and the
-- top evidence are always refreshed, also beside a pin.
WITH scored AS (
    SELECT *
    FROM unnest(%(actor_ids)s::text[], %(topic_ids)s::text[], %(scores)s::float8[],
                %(labels)s::text[], %(confidences)s::float8[], %(counts)s::int[],
                %(last_ats)s::timestamptz[])
         AS s(actor_id, topic_id, score, label, confidence, evidence_count, last_at)
),
changed AS (
    SELECT sc.*, c.version AS prev_version
    FROM scored sc
    LEFT JOIN stances c USING (actor_id, topic_id)
    WHERE (c.actor_id IS NULL AND sc.label <> 'no-signal')
       OR (c.actor_id IS NOT NULL AND NOT c.pinned
           AND (c.label <> sc.label
                OR abs(c.score - sc.score) > %(epsilon)s
                OR abs(c.confidence - sc.confidence) > %(epsilon)s))
),
-- Top evidence kept from the last re-score still holds for a pair whose evidence did
-- not change (not queued, no new version, nothing published since): with exponential
-- decay, the order of evidence already published does not change with time.
kept AS (
    SELECT sc.actor_id, sc.topic_id, c.top_evidence_ids AS ids
    FROM scored sc
    JOIN stances c USING (actor_id, topic_id)
    WHERE c.top_evidence_ids IS NOT NULL
      AND (sc.last_at IS NULL OR sc.last_at <= c.computed_at)
      AND NOT EXISTS (SELECT 1 FROM changed ch
                      WHERE ch.actor_id = sc.actor_id AND ch.topic_id = sc.topic_id)
      AND NOT EXISTS (SELECT 1 FROM unnest(%(fresh_actor_ids)s::text[],
                                           %(fresh_topic_ids)s::text[]) AS f(actor_id, topic_id)
                      WHERE f.actor_id = sc.actor_id AND f.topic_id = sc.topic_id)
),
-- the evidence that weighs most in each other scored pair (a top-N heap each)
tops AS (
    SELECT * FROM kept
    UNION ALL
    SELECT sc.actor_id, sc.topic_id, coalesce(top.ids, '{}') AS ids
    FROM scored sc
    LEFT JOIN kept k USING (actor_id, topic_id)
    LEFT JOIN LATERAL (
        SELECT array_agg(ranked.id ORDER BY ranked.rank_weight DESC, ranked.id) AS ids
        FROM (
            SELECT e.id,
                   stance_weight(e.strength::float8 * e.confidence * e.source_weight,
                                 e.published_at, %(as_of)s, %(half_life_days)s)
                   * abs(e.polarity) AS rank_weight
            FROM evidence e
            WHERE e.actor_id = sc.actor_id AND e.topic_id = sc.topic_id AND NOT e.rejected
              AND e.published_at <= %(as_of)s
            ORDER BY rank_weight DESC, e.id
            LIMIT %(top_n)s
        ) ranked
    ) top ON sc.evidence_count > 0
    WHERE k.actor_id IS NULL
),
versions AS (
    INSERT INTO stance_versions (actor_id, topic_id, version, previous_version, score, label,
                                 confidence, evidence_count, last_evidence_at, method, pinned,
                                 as_of, reason, scorer_version, top_evidence_ids)
    SELECT c.actor_id, c.topic_id, coalesce(c.prev_version, 0) + 1, c.prev_version, c.score,
           c.label, c.confidence, c.evidence_count, c.last_at, 'auto', false, c.last_at,
           %(reason)s, %(scorer_version)s, t.ids
    FROM changed c
    JOIN tops t USING (actor_id, topic_id)
    RETURNING actor_id, topic_id, version
),
upserted AS (
    INSERT INTO stances AS s (actor_id, topic_id, score, label, confidence, evidence_count,
                              last_evidence_at, computed_at, method, pinned, version,
                              auto_score, auto_label, auto_confidence, top_evidence_ids)
    SELECT sc.actor_id, sc.topic_id,
           CASE WHEN v.version IS NULL THEN c.score ELSE sc.score END,
           CASE WHEN v.version IS NULL THEN c.label ELSE sc.label END,
           CASE WHEN v.version IS NULL THEN c.confidence ELSE sc.confidence END,
           sc.evidence_count, sc.last_at, now(), coalesce(c.method, 'auto'),
           coalesce(c.pinned, false), coalesce(v.version, c.version),
           sc.score, sc.label, sc.confidence, t.ids
    FROM scored sc
    JOIN tops t USING (actor_id, topic_id)
    LEFT JOIN versions v USING (actor_id, topic_id)
    LEFT JOIN stances c USING (actor_id, topic_id)
    WHERE v.version IS NOT NULL OR c.actor_id IS NOT NULL
    ON CONFLICT (actor_id, topic_id) DO UPDATE
    SET score = EXCLUDED.score, label = EXCLUDED.label, confidence = EXCLUDED.confidence,
        evidence_count = EXCLUDED.evidence_count, last_evidence_at = EXCLUDED.last_evidence_at,
        computed_at = EXCLUDED.computed_at, version = EXCLUDED.version,
        auto_score = EXCLUDED.auto_score, auto_label = EXCLUDED.auto_label,
        auto_confidence = EXCLUDED.auto_confidence, top_evidence_ids = EXCLUDED.top_evidence_ids
    RETURNING 1
)
SELECT (SELECT count(*) FROM versions)::int AS versions,
       (SELECT count(*) FROM upserted)::int AS stances

-- name: stances_revision
-- Bumped by every change to stances, actors, topics, and evidence updated or
-- deleted (migration 0006). The row's xmin (the transaction that wrote it) changes
-- with it, and tells a restored copy of the table from the one read before.
SELECT n, xmin::text AS written_by FROM revisions WHERE name = 'stances'

-- name: list_stances
-- The current matrix: every actor x topic, no-signal where nothing is known yet.
SELECT a.id AS actor_id, t.id AS topic_id,
       coalesce(s.score, 0) AS score, coalesce(s.label, 'no-signal') AS label,
       coalesce(s.confidence, 0) AS confidence, coalesce(s.evidence_count, 0) AS evidence_count,
       s.last_evidence_at, s.computed_at, coalesce(s.method, 'auto') AS method,
       coalesce(s.pinned, false) AS pinned, s.version,
       s.auto_score, s.auto_label, s.auto_confidence
FROM actors a
CROSS JOIN topics t
LEFT JOIN stances s ON s.actor_id = a.id AND s.topic_id = t.id
WHERE (%(actor)s::text IS NULL OR a.id = %(actor)s)
  AND (%(topic)s::text IS NULL OR t.id = %(topic)s)
ORDER BY a.id, t.id

-- name: top_evidence
-- The evidence that weighs most in a pair's stance as of a time.
SELECT * FROM (
    SELECT e.id, e.document_id, d.title AS document_title, d.url AS document_url, e.quote,
           e.speaker, e.polarity, e.strength, e.confidence, e.published_at, e.char_start,
           e.char_end,
           stance_weight(e.strength::float8 * e.confidence * e.source_weight, e.published_at,
                         %(as_of)s, %(half_life_days)s) AS weight
    FROM evidence e
    JOIN documents d ON d.id = e.document_id
    WHERE e.actor_id = %(actor)s AND e.topic_id = %(topic)s AND NOT e.rejected
      AND e.published_at <= %(as_of)s
) weighed
ORDER BY weight * abs(polarity) DESC, id
LIMIT %(limit)s

-- name: kept_top_evidence
-- The top evidence kept with a pair's current stance by its last re-score: the items
-- still in the pair and not rejected, weighed as of a time, heaviest first. No rows
-- when none is kept (not re-scored since migration 0004) or all were rejected since.
SELECT * FROM (
    SELECT e.id, e.document_id, d.title AS document_title, d.url AS document_url, e.quote,
           e.speaker, e.polarity, e.strength, e.confidence, e.published_at, e.char_start,
           e.char_end,
           stance_weight(e.strength::float8 * e.confidence * e.source_weight, e.published_at,
                         %(as_of)s, %(half_life_days)s) AS weight
    FROM evidence e
    JOIN documents d ON d.id = e.document_id
    WHERE e.id = ANY((SELECT top_evidence_ids FROM stances
                      WHERE actor_id = %(actor)s AND topic_id = %(topic)s)::bigint[])
      AND e.actor_id = %(actor)s
      AND e.topic_id = %(topic)s AND NOT e.rejected
) weighed
ORDER BY weight * abs(polarity) DESC, id
LIMIT %(limit)s

-- name: list_versions
-- A pair's versions, oldest first.
SELECT id, actor_id, topic_id, version, previous_version, score, label, confidence,
       evidence_count, last_evidence_at, method, pinned, recorded_at, as_of, reason,
       scorer_version, top_evidence_ids
FROM stance_versions
WHERE actor_id = %(actor)s AND topic_id = %(topic)s
ORDER BY version

-- name: list_changes
-- Versions recorded since a time (record time), newest first, after a cursor id.
SELECT id, actor_id, topic_id, version, previous_version, score, label, confidence,
       evidence_count, last_evidence_at, method, pinned, recorded_at, as_of, reason,
       scorer_version, top_evidence_ids
FROM stance_versions
WHERE recorded_at >= %(since)s
  AND (%(actor)s::text IS NULL OR actor_id = %(actor)s)
  AND (%(topic)s::text IS NULL OR topic_id = %(topic)s)
  AND (%(after_id)s::bigint IS NULL OR id < %(after_id)s)
ORDER BY id DESC
LIMIT %(limit)s

-- name: stance_timeline
-- The score at the end of each interval (day, week or month, UTC) between two times.
WITH buckets AS (
    SELECT g AS bucket_start, g + %(step)s::interval AS bucket_end
    FROM generate_series(date_trunc(%(unit)s, %(since)s::timestamptz, 'UTC'),
                         %(until)s::timestamptz, %(step)s::interval) AS g
)
SELECT b.bucket_start, b.bucket_end,
       stance_score(a.n, a.raw_total, a.total, a.signed, %(min_weight)s) AS score,
       stance_label(a.n, a.raw_total, a.total, a.signed, a.positive, a.absolute,
                    %(min_weight)s, %(threshold)s, %(minority_share)s) AS label,
       stance_confidence(a.n, a.raw_total, a.total, a.signed, a.absolute,
                         %(min_weight)s, %(confidence_scale)s) AS confidence,
       coalesce(a.n, 0)::int AS evidence_count
FROM buckets b
CROSS JOIN LATERAL (
    SELECT count(*) AS n, sum(raw) AS raw_total, sum(w) AS total, sum(w * p) AS signed,
           sum(w * p) FILTER (WHERE p > 0) AS positive, sum(w * abs(p)) AS absolute
    FROM (
        SELECT e.polarity::float8 AS p,
               e.strength::float8 * e.confidence * e.source_weight AS raw,
               stance_weight(e.strength::float8 * e.confidence * e.source_weight,
                             e.published_at, b.bucket_end, %(half_life_days)s) AS w
        FROM evidence e
        WHERE e.actor_id = %(actor)s AND e.topic_id = %(topic)s AND NOT e.rejected
          AND e.published_at < b.bucket_end
    ) x
) a
ORDER BY b.bucket_start

-- name: pins_in_disagreement
-- Pinned stances where the machine's own view now says something else.
SELECT s.actor_id, s.topic_id, s.score, s.label, s.auto_score, s.auto_label,
       s.auto_confidence, p.note, p.created_by, p.created_at
FROM stances s
JOIN stance_corrections p
  ON p.actor_id = s.actor_id AND p.topic_id = s.topic_id AND p.released_at IS NULL
WHERE s.pinned AND s.auto_label <> s.label
ORDER BY p.created_at
