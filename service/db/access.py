"""API tokens, the audit log and per-installation state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from service.db.pool import Connection
from service.db.sql import q


@dataclass(frozen=True)
class Token:
    id: int
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


def insert_token(
    conn: Connection,
    *,
    name: str,
    token_hash: str,
    prefix: str,
    role: str,
    expires_at: datetime | None = None,
) -> Token:
    params = {
        "name": name,
        "token_hash": token_hash,
        "prefix": prefix,
        "role": role,
        "expires_at": expires_at,
    }
    with conn.cursor(row_factory=class_row(Token)) as cur:
        row = cur.execute(q("insert_token"), params).fetchone()
    assert row is not None
    return row


def find_active_token(conn: Connection, token_hash: str) -> Token | None:
    with conn.cursor(row_factory=class_row(Token)) as cur:
        return cur.execute(q("find_active_token"), {"token_hash": token_hash}).fetchone()


def list_tokens(conn: Connection) -> list[Token]:
    with conn.cursor(row_factory=class_row(Token)) as cur:
        return cur.execute(q("list_tokens")).fetchall()


def revoke_token(conn: Connection, token_id: int) -> Token | None:
    with conn.cursor(row_factory=class_row(Token)) as cur:
        return cur.execute(q("revoke_token"), {"id": token_id}).fetchone()


def insert_audit(
    conn: Connection,
    *,
    principal: str,
    action: str,
    target_type: str,
    target_id: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    request_id: str | None = None,
) -> None:
    params = {
        "principal": principal,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "before": None if before is None else Jsonb(before),
        "after": None if after is None else Jsonb(after),
        "reason": reason,
        "request_id": request_id,
    }
    conn.execute(q("insert_audit"), params)  # nothing read back: it may run in a pipeline


def list_audit(
    conn: Connection, *, limit: int, after_id: int | None = None, target_type: str | None = None
) -> list[dict[str, Any]]:
    params = {"limit": limit, "after_id": after_id, "target_type": target_type}
    return conn.execute(q("list_audit"), params).fetchall()


def get_or_put_state(conn: Connection, key: str, value: str) -> str:
    """The stored value for ``key``, storing ``value`` first if there is none."""
    row = conn.execute(q("put_state_if_absent"), {"key": key, "value": value}).fetchone()
    assert row is not None
    return str(row["value"])
