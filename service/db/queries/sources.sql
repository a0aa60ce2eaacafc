-- name: insert_source
-- Store a feed or inbox source (a second source with the same url or path is a conflict).
INSERT INTO sources (kind, url, path, name, enabled, poll_interval_seconds, source_weight)
VALUES (%(kind)s, %(url)s, %(path)s, %(name)s, %(enabled)s, %(poll_interval_seconds)s,
        %(source_weight)s)
RETURNING id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
          last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
          next_poll_at, created_at

-- name: get_source
-- One source by id.
SELECT id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
       last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
       next_poll_at, created_at
FROM sources
WHERE id = %(id)s

-- name: list_sources
-- Sources in the order they were added, after an id cursor.
SELECT id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
       last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
       next_poll_at, created_at
FROM sources
WHERE (%(after_id)s::bigint IS NULL OR id > %(after_id)s)
ORDER BY id
LIMIT %(limit)s

-- name: update_source
-- Change a source's settings (NULL keeps a value). A new url or path forgets the
-- poll state of the old one; enabling a source makes it due at once.
UPDATE sources
SET name = coalesce(%(name)s, name),
    url = coalesce(%(url)s, url),
    path = coalesce(%(path)s, path),
    poll_interval_seconds = coalesce(%(poll_interval_seconds)s, poll_interval_seconds),
    source_weight = coalesce(%(source_weight)s, source_weight),
    enabled = coalesce(%(enabled)s, enabled),
    etag = CASE WHEN coalesce(%(url)s::text <> url, false) THEN NULL ELSE etag END,
    last_modified = CASE WHEN coalesce(%(url)s::text <> url, false)
                         THEN NULL ELSE last_modified END,
    consecutive_failures = CASE WHEN coalesce(%(url)s <> url, false)
                                  OR coalesce(%(path)s <> path, false)
                                THEN 0 ELSE consecutive_failures END,
    next_poll_at = CASE WHEN (%(enabled)s::boolean AND NOT enabled)
                              OR coalesce(%(url)s <> url, false)
                              OR coalesce(%(path)s <> path, false)
                        THEN now() ELSE next_poll_at END
WHERE id = %(id)s
RETURNING id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
          last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
          next_poll_at, created_at

-- name: delete_source
-- Remove a source (its documents stay, with source_id set to NULL).
DELETE FROM sources
WHERE id = %(id)s
RETURNING id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
          last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
          next_poll_at, created_at

-- name: claim_due_sources
-- Take the enabled sources whose poll is due: rows another poller holds are
-- skipped, and each one taken is leased (next_poll_at moves past the poll) so no
-- other poller starts it before this one records the result.
UPDATE sources s
SET next_poll_at = now() + make_interval(secs => %(lease_seconds)s), last_polled_at = now()
WHERE s.id IN (
    SELECT id FROM sources
    WHERE enabled AND next_poll_at <= now()
    ORDER BY next_poll_at, id
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED)
RETURNING s.id, s.kind, s.url, s.path, s.name, s.enabled, s.poll_interval_seconds,
          s.source_weight, s.etag, s.last_modified, s.last_polled_at, s.last_success_at,
          s.last_error, s.consecutive_failures, s.next_poll_at, s.created_at

-- name: claim_source
-- Take one source to poll now, whatever its schedule (leased like claim_due_sources).
UPDATE sources
SET next_poll_at = now() + make_interval(secs => %(lease_seconds)s), last_polled_at = now()
WHERE id = %(id)s
RETURNING id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
          last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
          next_poll_at, created_at

-- name: record_poll_success
-- A poll worked: clear the failures, keep the feed's validators, due again after its interval.
UPDATE sources
SET last_success_at = now(), last_error = NULL, consecutive_failures = 0,
    etag = %(etag)s, last_modified = %(last_modified)s,
    next_poll_at = now() + make_interval(secs => poll_interval_seconds)
WHERE id = %(id)s
RETURNING id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
          last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
          next_poll_at, created_at

-- name: record_poll_failure
-- A poll failed: n failures in a row wait interval x 2^n (at most max_backoff_seconds).
UPDATE sources
SET last_error = %(error)s, consecutive_failures = consecutive_failures + 1,
    next_poll_at = now() + make_interval(secs => least(
        poll_interval_seconds * power(2, least(consecutive_failures + 1, 20)),
        %(max_backoff_seconds)s))
WHERE id = %(id)s
RETURNING id, kind, url, path, name, enabled, poll_interval_seconds, source_weight, etag,
          last_modified, last_polled_at, last_success_at, last_error, consecutive_failures,
          next_poll_at, created_at

-- name: entry_states
-- What became of these feed entries of a source on earlier polls.
SELECT entry_key, status, attempts
FROM source_entries
WHERE source_id = %(source_id)s AND entry_key = ANY(%(keys)s::text[])

-- name: record_entry
-- Remember what became of one feed entry (a retry counts one more attempt).
INSERT INTO source_entries (source_id, entry_key, status, document_id, last_error)
VALUES (%(source_id)s, %(entry_key)s, %(status)s, %(document_id)s, %(error)s)
ON CONFLICT (source_id, entry_key) DO UPDATE
SET status = excluded.status, document_id = excluded.document_id,
    last_error = excluded.last_error, attempts = source_entries.attempts + 1,
    updated_at = now()

-- name: stored_urls
-- Which of these canonical urls belong to documents already stored.
SELECT url FROM documents WHERE url = ANY(%(urls)s::text[])
