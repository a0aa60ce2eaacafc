-- name: insert_new_document_evidence
-- All evidence of a document (just inserted, or re-extracted), from one JSON array of
-- [actor, topic, polarity, strength, confidence, sentence, start, end, quote,
-- speaker, cue ids] (numbers as float8, then real: rounded as a real parameter would
-- be), and the pairs it counts for queued for re-scoring, in one statement. For a
-- re-extracted document the caller then re-applies analysts' corrections.
WITH items AS (
    SELECT e.value ->> 0 AS actor_id, e.value ->> 1 AS topic_id,
           (e.value ->> 2)::float8::real AS polarity, (e.value ->> 3)::float8::real AS strength,
           (e.value ->> 4)::float8::real AS confidence, (e.value ->> 5)::int AS sentence_index,
           (e.value ->> 6)::int AS char_start, (e.value ->> 7)::int AS char_end,
           e.value ->> 8 AS quote, e.value ->> 9 AS speaker, e.value ->> 10 AS cue_ids
    FROM jsonb_array_elements(%(items)s::jsonb) AS e (value)
), stored AS (
    INSERT INTO evidence (document_id, machine_actor_id, machine_topic_id, machine_polarity,
                          actor_id, topic_id, polarity, strength, confidence, source_weight,
                          sentence_index, char_start, char_end, quote, speaker, cue_ids,
                          extractor_version, lexicon_version, published_at)
    SELECT %(document_id)s, u.actor_id, u.topic_id, u.polarity, u.actor_id, u.topic_id,
           u.polarity, u.strength, u.confidence, %(source_weight)s, u.sentence_index,
           u.char_start, u.char_end, u.quote, u.speaker, string_to_array(u.cue_ids, ' '),
           %(extractor_version)s, %(lexicon_version)s, %(published_at)s
    FROM items u
    RETURNING actor_id, topic_id
)
INSERT INTO stance_queue (actor_id, topic_id)
SELECT DISTINCT actor_id, topic_id FROM stored
ORDER BY actor_id, topic_id
ON CONFLICT (actor_id, topic_id) DO NOTHING

-- name: apply_corrections_to_document
-- Re-apply analysts' corrections to a document's fresh evidence (matched on
-- document, span and the machine's topic and actor).
UPDATE evidence e
SET actor_id = coalesce(c.new_actor_id, e.machine_actor_id),
    topic_id = coalesce(c.new_topic_id, e.machine_topic_id),
    polarity = coalesce(c.new_polarity, e.machine_polarity),
    rejected = (c.action = 'reject'),
    correction_id = c.id
FROM evidence_corrections c
WHERE e.document_id = %(document_id)s
  AND c.document_id = e.document_id
  AND c.char_start = e.char_start AND c.char_end = e.char_end
  AND c.topic_id = e.machine_topic_id AND c.actor_id = e.machine_actor_id

-- name: enqueue_document_pairs
-- Make the pairs a document's evidence counts for (as corrected) due for re-scoring.
INSERT INTO stance_queue (actor_id, topic_id)
SELECT DISTINCT actor_id, topic_id FROM evidence
WHERE document_id = %(document_id)s AND NOT rejected
ORDER BY actor_id, topic_id
ON CONFLICT (actor_id, topic_id) DO NOTHING

-- name: count_document_evidence
-- How many evidence items a document has.
SELECT count(*)::int AS n FROM evidence WHERE document_id = %(document_id)s

-- name: delete_document_evidence
-- Remove a document's evidence before re-extraction; returns the pairs it counted for.
DELETE FROM evidence WHERE document_id = %(document_id)s
RETURNING actor_id, topic_id

-- name: list_document_evidence
-- A document's evidence in text order.
SELECT id, document_id, actor_id, topic_id, polarity, rejected, machine_actor_id,
       machine_topic_id, machine_polarity, correction_id, strength, confidence, sentence_index,
       char_start, char_end, quote, speaker, cue_ids, extractor_version, lexicon_version,
       published_at, created_at
FROM evidence
WHERE document_id = %(document_id)s
ORDER BY char_start, char_end, topic_id, actor_id

-- name: list_evidence
-- Evidence (as corrected) filtered by actor, topic and event time, newest first.
SELECT e.id, e.document_id, e.actor_id, e.topic_id, e.polarity, e.rejected,
       e.machine_actor_id, e.machine_topic_id, e.machine_polarity, e.correction_id,
       e.strength, e.confidence, e.sentence_index, e.char_start, e.char_end, e.quote, e.speaker,
       e.cue_ids, e.extractor_version, e.lexicon_version, e.published_at, e.created_at
FROM evidence e
WHERE (%(actor)s::text IS NULL OR e.actor_id = %(actor)s)
  AND (%(topic)s::text IS NULL OR e.topic_id = %(topic)s)
  AND (%(since)s::timestamptz IS NULL OR e.published_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR e.published_at <= %(until)s)
  AND (%(after_published)s::timestamptz IS NULL
       OR (e.published_at, e.id) < (%(after_published)s, %(after_id)s::bigint))
ORDER BY e.published_at DESC, e.id DESC
LIMIT %(limit)s

-- name: enqueue_pairs
-- Mark (actor, topic) pairs as due for re-scoring.
INSERT INTO stance_queue (actor_id, topic_id)
SELECT * FROM unnest(%(actor_ids)s::text[], %(topic_ids)s::text[])
ON CONFLICT (actor_id, topic_id) DO NOTHING

-- name: list_pair_evidence
-- A pair's evidence (machine's or corrected onto it), newest first, with the
-- text around each span so the page can show the sentence in its context.
SELECT e.id, e.document_id, d.title AS document_title, e.actor_id, e.topic_id, e.polarity,
       e.rejected, e.machine_actor_id, e.machine_topic_id, e.machine_polarity,
       e.correction_id, e.strength, e.confidence, e.quote, e.speaker, e.cue_ids,
       e.published_at, e.char_start, e.char_end,
       substr(d.text, greatest(e.char_start - %(context)s, 0) + 1,
              e.char_start - greatest(e.char_start - %(context)s, 0)) AS before_text,
       substr(d.text, e.char_end + 1, %(context)s) AS after_text
FROM evidence e
JOIN documents d ON d.id = e.document_id
WHERE (e.actor_id = %(actor)s AND e.topic_id = %(topic)s)
   OR (e.machine_actor_id = %(actor)s AND e.machine_topic_id = %(topic)s)
ORDER BY e.published_at DESC, e.id DESC
LIMIT %(limit)s

-- name: review_evidence
-- Evidence an analyst should look at: low confidence or strength, not yet corrected.
SELECT e.id, e.document_id, d.title AS document_title, e.actor_id, e.topic_id, e.polarity,
       e.strength, e.confidence, e.quote, e.speaker, e.published_at
FROM evidence e
JOIN documents d ON d.id = e.document_id
WHERE NOT e.rejected AND e.correction_id IS NULL
  AND (e.confidence < %(threshold)s OR e.strength < %(threshold)s)
ORDER BY e.confidence, e.published_at DESC, e.id
LIMIT %(limit)s
