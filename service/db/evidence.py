"""Evidence: who holds which position, where exactly in which document."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from service.db.documents import Document
from service.db.pool import Connection
from service.db.sql import q
from service.extraction import Evidence


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    document_id: int
    actor_id: str
    topic_id: str
    polarity: float
    rejected: bool
    machine_actor_id: str
    machine_topic_id: str
    machine_polarity: float
    correction_id: int | None
    strength: float
    confidence: float
    sentence_index: int
    char_start: int
    char_end: int
    quote: str
    speaker: str | None
    cue_ids: list[str]
    extractor_version: str
    lexicon_version: str
    published_at: datetime
    created_at: datetime


def insert_evidence(
    conn: Connection,
    *,
    document_id: int,
    published_at: datetime,
    items: Sequence[Evidence],
    extractor_version: str,
    lexicon_version: str,
    source_weight: float = 1.0,
) -> None:
    """Store fresh evidence of a document that was stored before (re-extraction),
    re-apply analysts' corrections to it (keyed by document and span), and queue the
    pairs it counts for as corrected. Nothing is read back, so the three statements
    can run in one pipeline."""
    if not items:
        return
    insert_new_document_evidence(
        conn,
        document_id=document_id,
        published_at=published_at,
        items=items,
        extractor_version=extractor_version,
        lexicon_version=lexicon_version,
        source_weight=source_weight,
    )
    conn.execute(q("apply_corrections_to_document"), {"document_id": document_id})
    conn.execute(q("enqueue_document_pairs"), {"document_id": document_id})


def insert_new_document_evidence(
    conn: Connection,
    *,
    document_id: int,
    published_at: datetime,
    items: Sequence[Evidence],
    extractor_version: str,
    lexicon_version: str,
    source_weight: float = 1.0,
) -> None:
    """Store the evidence of a document inserted in this transaction (ingest) and
    queue the pairs it counts for: one statement, one JSON parameter (cheaper to send
    than eleven arrays). No corrections to re-apply: they are keyed by document id,
    and this document is new (``insert_evidence`` re-applies them)."""
    if not items:
        return
    rows = [
        [
            e.actor_id,
            e.topic_id,
            e.polarity,
            e.strength,
            e.confidence,
            e.sentence_index,
            e.char_start,
            e.char_end,
            e.quote,
            e.speaker,
            _cue_ids(e.cue_ids),
        ]
        for e in items
    ]
    params: dict[str, Any] = {
        "document_id": document_id,
        "source_weight": source_weight,
        "published_at": published_at,
        "extractor_version": extractor_version,
        "lexicon_version": lexicon_version,
        "items": json.dumps(rows, ensure_ascii=False),
    }
    conn.execute(q("insert_new_document_evidence"), params)


def _cue_ids(cue_ids: Sequence[str]) -> str:
    """Cue ids as one space-separated string (spaces inside an id become ``_``)."""
    return " ".join("_".join(c.split()) for c in cue_ids)


def count_document_evidence(conn: Connection, document_id: int) -> int:
    row = conn.execute(q("count_document_evidence"), {"document_id": document_id}).fetchone()
    return int(row["n"]) if row else 0


def delete_document_evidence(conn: Connection, document_id: int) -> set[tuple[str, str]]:
    """Remove a document's evidence; returns the (actor, topic) pairs it touched."""
    rows = conn.execute(q("delete_document_evidence"), {"document_id": document_id}).fetchall()
    return {(r["actor_id"], r["topic_id"]) for r in rows}


def list_document_evidence(conn: Connection, document_id: int) -> list[EvidenceRow]:
    with conn.cursor(row_factory=class_row(EvidenceRow)) as cur:
        return cur.execute(q("list_document_evidence"), {"document_id": document_id}).fetchall()


def list_evidence(
    conn: Connection,
    *,
    limit: int,
    after: tuple[datetime, int] | None = None,
    actor: str | None = None,
    topic: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[EvidenceRow]:
    params: dict[str, Any] = {
        "limit": limit,
        "actor": actor,
        "topic": topic,
        "since": since,
        "until": until,
        "after_published": after[0] if after else None,
        "after_id": after[1] if after else None,
    }
    with conn.cursor(row_factory=class_row(EvidenceRow)) as cur:
        return cur.execute(q("list_evidence"), params).fetchall()


def enqueue_pairs(conn: Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """Make these (actor, topic) pairs due for re-scoring at the next tick."""
    ordered = sorted(set(pairs))  # a fixed order avoids deadlocks between concurrent ingests
    if ordered:
        conn.execute(
            q("enqueue_pairs"),
            {"actor_ids": [a for a, _ in ordered], "topic_ids": [t for _, t in ordered]},
        )


def list_pair_evidence(
    conn: Connection, actor: str, topic: str, *, limit: int = 100, context: int = 160
) -> list[dict[str, Any]]:
    params = {"actor": actor, "topic": topic, "limit": limit, "context": context}
    return conn.execute(q("list_pair_evidence"), params).fetchall()


def review_evidence(
    conn: Connection, *, threshold: float = 0.6, limit: int = 50
) -> list[dict[str, Any]]:
    return conn.execute(q("review_evidence"), {"threshold": threshold, "limit": limit}).fetchall()


def document_with_evidence(
    conn: Connection, document_id: int
) -> tuple[Document | None, list[EvidenceRow]]:
    """A document (None if there is none) and its evidence, in one round trip."""
    with conn.pipeline():
        found = conn.cursor(row_factory=class_row(Document)).execute(
            q("get_document"), {"id": document_id}
        )
        items = conn.cursor(row_factory=class_row(EvidenceRow)).execute(
            q("list_document_evidence"), {"document_id": document_id}
        )
    doc = found.fetchone()
    return doc, items.fetchall() if doc is not None else []
