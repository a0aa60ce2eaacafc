-- name: insert_user
-- A new admin-page user (the password is already hashed).
INSERT INTO users (username, password_hash, role)
VALUES (%(username)s, %(password_hash)s, %(role)s)
RETURNING id, username, password_hash, role, disabled, failed_logins, locked_until,
          last_login_at, created_at

-- name: find_user
-- A user by name (case-insensitive).
SELECT id, username, password_hash, role, disabled, failed_logins, locked_until,
       last_login_at, created_at
FROM users WHERE lower(username) = lower(%(username)s)

-- name: get_user
-- A user by id.
SELECT id, username, password_hash, role, disabled, failed_logins, locked_until,
       last_login_at, created_at
FROM users WHERE id = %(id)s

-- name: list_users
-- All users by name.
SELECT id, username, password_hash, role, disabled, failed_logins, locked_until,
       last_login_at, created_at
FROM users ORDER BY lower(username)

-- name: record_login_failure
-- Count a failed login; lock the account for a while after too many.
UPDATE users
SET failed_logins = failed_logins + 1,
    locked_until = CASE WHEN failed_logins + 1 >= %(max_failures)s
                        THEN now() + make_interval(secs => %(lock_seconds)s)
                        ELSE locked_until END
WHERE id = %(id)s

-- name: record_login_success
-- A successful login resets the failure count.
UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now()
WHERE id = %(id)s
