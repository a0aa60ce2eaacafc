-- name: get_evidence_for_update
-- One evidence item, locked for a correction.
SELECT id, document_id, actor_id, topic_id, polarity, rejected, machine_actor_id,
       machine_topic_id, machine_polarity, correction_id, strength, confidence, sentence_index,
       char_start, char_end, quote, speaker, cue_ids, extractor_version, lexicon_version,
       published_at, created_at
FROM evidence
WHERE id = %(id)s
FOR UPDATE

-- name: upsert_evidence_correction
-- An analyst's correction of one evidence item, keyed by what survives
-- re-extraction (document, span, the machine's topic and actor); a newer
-- correction of the same item replaces the older one (the audit log keeps both).
INSERT INTO evidence_corrections (document_id, char_start, char_end, topic_id, actor_id, action,
                                  new_actor_id, new_topic_id, new_polarity, reason, created_by)
VALUES (%(document_id)s, %(char_start)s, %(char_end)s, %(topic_id)s, %(actor_id)s, %(action)s,
        %(new_actor_id)s, %(new_topic_id)s, %(new_polarity)s, %(reason)s, %(created_by)s)
ON CONFLICT (document_id, char_start, char_end, topic_id, actor_id) DO UPDATE
SET action = EXCLUDED.action, new_actor_id = EXCLUDED.new_actor_id,
    new_topic_id = EXCLUDED.new_topic_id, new_polarity = EXCLUDED.new_polarity,
    reason = EXCLUDED.reason, created_by = EXCLUDED.created_by, created_at = now()
RETURNING id

-- name: delete_evidence_correction
-- Withdraw the correction of one evidence item.
DELETE FROM evidence_corrections
WHERE document_id = %(document_id)s AND char_start = %(char_start)s
  AND char_end = %(char_end)s AND topic_id = %(topic_id)s AND actor_id = %(actor_id)s

-- name: apply_to_evidence
-- Set what counts for one evidence item.
UPDATE evidence
SET actor_id = %(actor_id)s, topic_id = %(topic_id)s, polarity = %(polarity)s,
    rejected = %(rejected)s, correction_id = %(correction_id)s
WHERE id = %(id)s

-- name: get_stance_for_update
-- The current stance of a pair, locked.
SELECT actor_id, topic_id, score, label, confidence, evidence_count, last_evidence_at,
       computed_at, method, pinned, version, auto_score, auto_label, auto_confidence
FROM stances
WHERE actor_id = %(actor)s AND topic_id = %(topic)s
FOR UPDATE

-- name: active_pin
-- The unreleased pin of a pair, if any.
SELECT id, actor_id, topic_id, score, label, note, created_by, created_at
FROM stance_corrections
WHERE actor_id = %(actor)s AND topic_id = %(topic)s AND released_at IS NULL

-- name: insert_pin
-- An analyst's pin of a stance.
INSERT INTO stance_corrections (actor_id, topic_id, score, label, note, created_by)
VALUES (%(actor)s, %(topic)s, %(score)s, %(label)s, %(note)s, %(created_by)s)
RETURNING id, actor_id, topic_id, score, label, note, created_by, created_at

-- name: release_pin
-- Release the active pin of a pair.
UPDATE stance_corrections SET released_at = now(), released_by = %(released_by)s
WHERE actor_id = %(actor)s AND topic_id = %(topic)s AND released_at IS NULL
RETURNING id

-- name: set_stance_manual
-- Put a pinned (or released) value in force and append its version, at once.
WITH cur AS (
    SELECT version FROM stances WHERE actor_id = %(actor)s AND topic_id = %(topic)s
),
v AS (
    INSERT INTO stance_versions (actor_id, topic_id, version, previous_version, score, label,
                                 confidence, evidence_count, last_evidence_at, method, pinned,
                                 as_of, reason, scorer_version)
    SELECT %(actor)s, %(topic)s, coalesce((SELECT version FROM cur), 0) + 1,
           (SELECT version FROM cur), %(score)s, %(label)s, %(confidence)s,
           %(evidence_count)s, %(last_evidence_at)s, %(method)s, %(pinned)s,
           %(last_evidence_at)s, %(reason)s, %(scorer_version)s
    RETURNING version
)
INSERT INTO stances AS s (actor_id, topic_id, score, label, confidence, evidence_count,
                          last_evidence_at, computed_at, method, pinned, version, auto_score,
                          auto_label, auto_confidence)
SELECT %(actor)s, %(topic)s, %(score)s, %(label)s, %(confidence)s, %(evidence_count)s,
       %(last_evidence_at)s, now(), %(method)s, %(pinned)s, v.version, %(auto_score)s,
       %(auto_label)s, %(auto_confidence)s
FROM v
ON CONFLICT (actor_id, topic_id) DO UPDATE
SET score = EXCLUDED.score, label = EXCLUDED.label, confidence = EXCLUDED.confidence,
    method = EXCLUDED.method, pinned = EXCLUDED.pinned, version = EXCLUDED.version,
    computed_at = now()
RETURNING version
