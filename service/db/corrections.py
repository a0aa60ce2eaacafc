"""Analysts' corrections: of evidence items and of stances (pins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from service.db.evidence import EvidenceRow
from service.db.pool import Connection
from service.db.sql import q


@dataclass(frozen=True)
class Pin:
    id: int
    actor_id: str
    topic_id: str
    score: float
    label: str
    note: str
    created_by: str
    created_at: datetime


def get_evidence_for_update(conn: Connection, evidence_id: int) -> EvidenceRow | None:
    with conn.cursor(row_factory=class_row(EvidenceRow)) as cur:
        return cur.execute(q("get_evidence_for_update"), {"id": evidence_id}).fetchone()


def _key(item: EvidenceRow) -> dict[str, Any]:
    return {
        "document_id": item.document_id,
        "char_start": item.char_start,
        "char_end": item.char_end,
        "topic_id": item.machine_topic_id,
        "actor_id": item.machine_actor_id,
    }


def upsert_evidence_correction(
    conn: Connection,
    item: EvidenceRow,
    *,
    action: str,
    new_actor_id: str | None,
    new_topic_id: str | None,
    new_polarity: float | None,
    reason: str,
    created_by: str,
) -> int:
    params = _key(item) | {
        "action": action,
        "new_actor_id": new_actor_id,
        "new_topic_id": new_topic_id,
        "new_polarity": new_polarity,
        "reason": reason,
        "created_by": created_by,
    }
    row = conn.execute(q("upsert_evidence_correction"), params).fetchone()
    assert row is not None
    return int(row["id"])


def delete_evidence_correction(conn: Connection, item: EvidenceRow) -> None:
    conn.execute(q("delete_evidence_correction"), _key(item))


def apply_to_evidence(
    conn: Connection,
    evidence_id: int,
    *,
    actor_id: str,
    topic_id: str,
    polarity: float,
    rejected: bool,
    correction_id: int | None,
) -> None:
    conn.execute(
        q("apply_to_evidence"),
        {
            "id": evidence_id,
            "actor_id": actor_id,
            "topic_id": topic_id,
            "polarity": polarity,
            "rejected": rejected,
            "correction_id": correction_id,
        },
    )


def get_stance_for_update(conn: Connection, actor: str, topic: str) -> dict[str, Any] | None:
    return conn.execute(q("get_stance_for_update"), {"actor": actor, "topic": topic}).fetchone()


def active_pin(conn: Connection, actor: str, topic: str) -> Pin | None:
    with conn.cursor(row_factory=class_row(Pin)) as cur:
        return cur.execute(q("active_pin"), {"actor": actor, "topic": topic}).fetchone()


def insert_pin(
    conn: Connection,
    *,
    actor: str,
    topic: str,
    score: float,
    label: str,
    note: str,
    created_by: str,
) -> Pin:
    params = {
        "actor": actor,
        "topic": topic,
        "score": score,
        "label": label,
        "note": note,
        "created_by": created_by,
    }
    with conn.cursor(row_factory=class_row(Pin)) as cur:
        row = cur.execute(q("insert_pin"), params).fetchone()
    assert row is not None
    return row


def release_pin(conn: Connection, *, actor: str, topic: str, released_by: str) -> bool:
    params = {"actor": actor, "topic": topic, "released_by": released_by}
    return conn.execute(q("release_pin"), params).fetchone() is not None


def set_stance_manual(conn: Connection, **values: Any) -> int:
    """Put a value in force for a pair and append its version; returns the version."""
    row = conn.execute(q("set_stance_manual"), values).fetchone()
    assert row is not None
    return int(row["version"])
