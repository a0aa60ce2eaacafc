"""Users of the admin page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from service.db.pool import Connection
from service.db.sql import q


@dataclass(frozen=True)
class User:
    id: int
    username: str
    password_hash: str
    role: str
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


def insert_user(conn: Connection, *, username: str, password_hash: str, role: str) -> User:
    params = {"username": username, "password_hash": password_hash, "role": role}
    with conn.cursor(row_factory=class_row(User)) as cur:
        row = cur.execute(q("insert_user"), params).fetchone()
    assert row is not None
    return row


def find_user(conn: Connection, username: str) -> User | None:
    with conn.cursor(row_factory=class_row(User)) as cur:
        return cur.execute(q("find_user"), {"username": username}).fetchone()


def get_user(conn: Connection, user_id: int) -> User | None:
    with conn.cursor(row_factory=class_row(User)) as cur:
        return cur.execute(q("get_user"), {"id": user_id}).fetchone()


def list_users(conn: Connection) -> list[User]:
    with conn.cursor(row_factory=class_row(User)) as cur:
        return cur.execute(q("list_users")).fetchall()


def record_login_failure(
    conn: Connection, user_id: int, *, max_failures: int, lock_seconds: int
) -> None:
    params = {"id": user_id, "max_failures": max_failures, "lock_seconds": lock_seconds}
    conn.execute(q("record_login_failure"), params)


def record_login_success(conn: Connection, user_id: int) -> None:
    conn.execute(q("record_login_success"), {"id": user_id})
