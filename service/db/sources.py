"""Sources (feeds and inbox folders), their poll state, and the feed entries seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from service.db.pool import Connection
from service.db.sql import q


@dataclass(frozen=True)
class Source:
    id: int
    kind: str
    url: str | None
    path: str | None
    name: str
    enabled: bool
    poll_interval_seconds: int
    source_weight: float
    etag: str | None
    last_modified: str | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    next_poll_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class EntryState:
    entry_key: str
    status: str
    attempts: int


@dataclass(frozen=True)
class SourceChanges:
    """A PATCH: None leaves a value as it is."""

    name: str | None = None
    url: str | None = None
    path: str | None = None
    poll_interval_seconds: int | None = None
    source_weight: float | None = None
    enabled: bool | None = None


def _one(conn: Connection, query: str, params: dict[str, Any]) -> Source | None:
    with conn.cursor(row_factory=class_row(Source)) as cur:
        return cur.execute(q(query), params).fetchone()


def _many(conn: Connection, query: str, params: dict[str, Any]) -> list[Source]:
    with conn.cursor(row_factory=class_row(Source)) as cur:
        return cur.execute(q(query), params).fetchall()


def insert_source(
    conn: Connection,
    *,
    kind: str,
    url: str | None,
    path: str | None,
    name: str,
    enabled: bool,
    poll_interval_seconds: int,
    source_weight: float,
) -> Source:
    params = {
        "kind": kind,
        "url": url,
        "path": path,
        "name": name,
        "enabled": enabled,
        "poll_interval_seconds": poll_interval_seconds,
        "source_weight": source_weight,
    }
    row = _one(conn, "insert_source", params)
    assert row is not None
    return row


def get_source(conn: Connection, source_id: int) -> Source | None:
    return _one(conn, "get_source", {"id": source_id})


def list_sources(conn: Connection, *, limit: int, after_id: int | None = None) -> list[Source]:
    return _many(conn, "list_sources", {"limit": limit, "after_id": after_id})


def update_source(conn: Connection, source_id: int, changes: SourceChanges) -> Source | None:
    return _one(conn, "update_source", {"id": source_id, **changes.__dict__})


def delete_source(conn: Connection, source_id: int) -> Source | None:
    return _one(conn, "delete_source", {"id": source_id})


def claim_due_sources(conn: Connection, *, limit: int, lease_seconds: int) -> list[Source]:
    """Due sources, locked with SKIP LOCKED and leased, so concurrent pollers split them."""
    return _many(conn, "claim_due_sources", {"limit": limit, "lease_seconds": lease_seconds})


def claim_source(conn: Connection, source_id: int, *, lease_seconds: int) -> Source | None:
    return _one(conn, "claim_source", {"id": source_id, "lease_seconds": lease_seconds})


def record_poll_success(
    conn: Connection, source_id: int, *, etag: str | None, last_modified: str | None
) -> Source | None:
    params = {"id": source_id, "etag": etag, "last_modified": last_modified}
    return _one(conn, "record_poll_success", params)


def record_poll_failure(
    conn: Connection, source_id: int, *, error: str, max_backoff_seconds: int
) -> Source | None:
    params = {"id": source_id, "error": error, "max_backoff_seconds": max_backoff_seconds}
    return _one(conn, "record_poll_failure", params)


def entry_states(conn: Connection, source_id: int, keys: list[str]) -> dict[str, EntryState]:
    with conn.cursor(row_factory=class_row(EntryState)) as cur:
        rows = cur.execute(q("entry_states"), {"source_id": source_id, "keys": keys}).fetchall()
    return {r.entry_key: r for r in rows}


def record_entry(
    conn: Connection,
    source_id: int,
    entry_key: str,
    *,
    status: str,
    document_id: int | None = None,
    error: str | None = None,
) -> None:
    params = {
        "source_id": source_id,
        "entry_key": entry_key,
        "status": status,
        "document_id": document_id,
        "error": error,
    }
    conn.execute(q("record_entry"), params)


def stored_urls(conn: Connection, urls: list[str]) -> set[str]:
    rows = conn.execute(q("stored_urls"), {"urls": urls}).fetchall()
    return {str(r["url"]) for r in rows}
