-- name: insert_token
-- A new API token; only its SHA-256 is stored.
INSERT INTO api_tokens (name, token_hash, prefix, role, expires_at)
VALUES (%(name)s, %(token_hash)s, %(prefix)s, %(role)s, %(expires_at)s)
RETURNING id, name, prefix, role, created_at, last_used_at, expires_at, revoked_at

-- name: find_active_token
-- The unrevoked, unexpired token with this hash; marks it used.
UPDATE api_tokens SET last_used_at = now()
WHERE token_hash = %(token_hash)s
  AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > now())
RETURNING id, name, prefix, role, created_at, last_used_at, expires_at, revoked_at

-- name: list_tokens
-- All tokens (never their hashes), newest first.
SELECT id, name, prefix, role, created_at, last_used_at, expires_at, revoked_at
FROM api_tokens ORDER BY id DESC

-- name: revoke_token
-- Revoke a token by id.
UPDATE api_tokens SET revoked_at = now()
WHERE id = %(id)s AND revoked_at IS NULL
RETURNING id, name, prefix, role, created_at, last_used_at, expires_at, revoked_at

-- name: insert_audit
-- One audited write: who did what to which thing, before and after, and why.
INSERT INTO audit_log (principal, action, target_type, target_id, before, after, reason,
                       request_id)
VALUES (%(principal)s, %(action)s, %(target_type)s, %(target_id)s, %(before)s, %(after)s,
        %(reason)s, %(request_id)s)

-- name: list_audit
-- Audit rows newest first, after a cursor id.
SELECT id, principal, action, target_type, target_id, before, after, reason, request_id,
       created_at
FROM audit_log
WHERE (%(after_id)s::bigint IS NULL OR id < %(after_id)s)
  AND (%(target_type)s::text IS NULL OR target_type = %(target_type)s)
ORDER BY id DESC
LIMIT %(limit)s

-- name: get_state
-- A per-installation value.
SELECT value FROM app_state WHERE key = %(key)s

-- name: put_state_if_absent
-- Store a per-installation value unless one exists; returns the value in force.
WITH ins AS (
    INSERT INTO app_state (key, value) VALUES (%(key)s, %(value)s)
    ON CONFLICT (key) DO NOTHING
    RETURNING value
)
SELECT value FROM ins
UNION ALL
SELECT value FROM app_state WHERE key = %(key)s
LIMIT 1
