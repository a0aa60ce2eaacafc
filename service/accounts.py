"""Use cases for admin-page accounts: create users, check passwords with throttling.

Passwords are hashed with werkzeug's scrypt (a slow, salted, well-kept hash
that ships with Flask). After five failed logins an account is locked for
five minutes; the messages never say whether the user exists."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from psycopg_pool import ConnectionPool
from werkzeug.security import check_password_hash, generate_password_hash

from service.db import access, users
from service.db.pool import connection, transaction
from service.db.users import User
from service.errors import Forbidden, Unauthorized, ValidationError

ROLES = ("admin", "analyst")
MAX_FAILURES = 5
LOCK_SECONDS = 300
MIN_PASSWORD = 12
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
# Checked when the user does not exist, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


class TooManyAttempts(Unauthorized):
    """The account is locked for a while after repeated failures."""


def create_user(
    pool: ConnectionPool, *, username: str, password: str, role: str, principal: str
) -> User:
    if not USERNAME.match(username):
        raise ValidationError("username: 1-64 letters, digits or _ . @ -", field="username")
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"password must have at least {MIN_PASSWORD} characters", field="password"
        )
    with transaction(pool) as conn:
        user = users.insert_user(
            conn, username=username, role=role, password_hash=generate_password_hash(password)
        )
        access.insert_audit(
            conn,
            principal=principal,
            action="user.create",
            target_type="user",
            target_id=str(user.id),
            after={"username": username, "role": role},
        )
    return user


def authenticate(pool: ConnectionPool, username: str, password: str) -> User:
    """The user with this name and password; raises Unauthorized otherwise.

    A failure is counted (and committed) before the error is raised."""
    with transaction(pool) as conn:
        user = users.find_user(conn, username.strip())
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
            ok = False
        elif user.locked_until and user.locked_until > datetime.now(UTC):
            raise TooManyAttempts("too many failed attempts; try again in a few minutes")
        elif user.disabled or not check_password_hash(user.password_hash, password):
            users.record_login_failure(
                conn, user.id, max_failures=MAX_FAILURES, lock_seconds=LOCK_SECONDS
            )
            ok = False
        else:
            users.record_login_success(conn, user.id)
            ok = True
    if not ok or user is None:
        raise Unauthorized("invalid username or password")
    return user


def active_user(pool: ConnectionPool, user_id: int) -> User | None:
    """The user of a session, if it still exists and is enabled."""
    with connection(pool) as conn:
        user = users.get_user(conn, user_id)
    return user if user is not None and not user.disabled else None


def require_admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden("only administrators can do this")
