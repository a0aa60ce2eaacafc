"""Documents: stored articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from service.db.pool import Connection
from service.db.sql import q


def bigint_array(values: list[int] | None) -> str | None:
    """An array literal (``{1,2,3}``) for a ``%s::bigint[]`` parameter: much cheaper for
    psycopg to send than a list of ints, which it inspects element by element."""
    return None if values is None else "{" + ",".join(map(str, values)) + "}"


@dataclass(frozen=True)
class Document:
    id: int
    url: str | None
    content_hash: str
    title: str
    source: str | None
    language: str | None
    published_at: datetime
    ingested_at: datetime
    text: str
    lexicon_version: str
    extractor_version: str
    status: str
    duplicate_of: int | None


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    url: str | None
    title: str
    source: str | None
    language: str | None
    published_at: datetime
    ingested_at: datetime
    status: str
    duplicate_of: int | None
    evidence_count: int


@dataclass(frozen=True)
class NewDocumentRow:
    url: str | None
    content_hash: str
    title: str
    source: str | None
    language: str | None
    published_at: datetime
    text: str
    lexicon_version: str
    extractor_version: str
    raw_html: str | None = None
    source_id: int | None = None
    source_weight: float = 1.0


def find_document_by_identity(
    conn: Connection, *, url: str | None, content_hash: str
) -> Document | None:
    with conn.cursor(row_factory=class_row(Document)) as cur:
        params = {"url": url, "content_hash": content_hash}
        return cur.execute(q("find_document_by_identity"), params).fetchone()


def get_document(conn: Connection, document_id: int) -> Document | None:
    with conn.cursor(row_factory=class_row(Document)) as cur:
        return cur.execute(q("get_document"), {"id": document_id}).fetchone()


def list_documents(
    conn: Connection,
    *,
    limit: int,
    after: tuple[datetime, int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
    topic: str | None = None,
    source: str | None = None,
) -> list[DocumentSummary]:
    params: dict[str, Any] = {
        "limit": limit,
        "since": since,
        "until": until,
        "actor": actor,
        "topic": topic,
        "source": source,
        "after_published": after[0] if after else None,
        "after_id": after[1] if after else None,
    }
    with conn.cursor(row_factory=class_row(DocumentSummary)) as cur:
        return cur.execute(q("list_documents"), params).fetchall()


def count_documents(conn: Connection) -> int:
    row = conn.execute(q("count_documents")).fetchone()
    return int(row["n"]) if row else 0


@dataclass(frozen=True)
class OutdatedDocument:
    id: int
    text: str
    published_at: datetime
    source_weight: float


def claim_outdated(
    conn: Connection, lexicon_version: str, extractor_version: str, *, limit: int
) -> list[OutdatedDocument]:
    params = {
        "lexicon_version": lexicon_version,
        "extractor_version": extractor_version,
        "limit": limit,
    }
    with conn.cursor(row_factory=class_row(OutdatedDocument)) as cur:
        return cur.execute(q("claim_outdated"), params).fetchall()


def mark_extracted(
    conn: Connection, document_id: int, lexicon_version: str, extractor_version: str
) -> None:
    conn.execute(
        q("mark_extracted"),
        {
            "id": document_id,
            "lexicon_version": lexicon_version,
            "extractor_version": extractor_version,
        },
    )


@dataclass(frozen=True)
class StoredDocument:
    id: int
    status: str
    duplicate_of: int | None


def insert_document_checking_near_duplicates(
    conn: Connection,
    row: NewDocumentRow,
    *,
    scheme: str,
    signature: list[int] | None,
    band_keys: list[int] | None,
    value_bits: str | None,
    threshold: float | None,
) -> StoredDocument | None:
    """Insert, as a near-duplicate when an earlier document repeats it (the check and
    the insert in one round trip); None when a document with the same url or content
    already exists. The caller holds the band keys' locks."""
    params = {
        **row.__dict__,
        "scheme": scheme,
        "signature": bigint_array(signature),
        "band_keys": bigint_array(band_keys),
        "value_bits": value_bits,
        "threshold": threshold,
    }
    with conn.cursor(row_factory=class_row(StoredDocument)) as cur:
        return cur.execute(q("insert_document_checking_near_duplicates"), params).fetchone()
