-- name: start_job_run
-- Record that a job run began.
INSERT INTO job_runs (job, status, host, pid)
VALUES (%(job)s, 'running', %(host)s, %(pid)s)
RETURNING id, job, status, started_at, finished_at, counts, error, host, pid

-- name: finish_job_run
-- Record how a job run ended.
UPDATE job_runs
SET status = %(status)s, finished_at = clock_timestamp(), counts = %(counts)s, error = %(error)s
WHERE id = %(id)s
RETURNING id, job, status, started_at, finished_at, counts, error, host, pid

-- name: list_job_runs
-- Recent job runs, newest first.
SELECT id, job, status, started_at, finished_at, counts, error, host, pid
FROM job_runs
WHERE (%(job)s::text IS NULL OR job = %(job)s)
  AND (%(after_id)s::bigint IS NULL OR id < %(after_id)s)
ORDER BY id DESC
LIMIT %(limit)s

-- name: try_job_lock
-- Take the session-level advisory lock of a job without waiting.
SELECT pg_try_advisory_lock(%(key)s) AS locked

-- name: release_job_lock
-- Release the session-level advisory lock of a job.
SELECT pg_advisory_unlock(%(key)s) AS released
