"""Near-duplicate signatures of documents and the LSH band keys that find candidates."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.rows import class_row

from service.db.documents import Document, bigint_array
from service.db.pool import Connection
from service.db.sql import q


@dataclass(frozen=True)
class NearDuplicate:
    first_copy_id: int
    matched_id: int
    similarity: float


def lock_band_keys(conn: Connection, band_keys: list[int]) -> None:
    """Hold off other ingests of similar documents until this transaction ends."""
    conn.execute(q("lock_band_keys"), {"band_keys": bigint_array(band_keys)})


def find_near_duplicate(
    conn: Connection,
    *,
    scheme: str,
    signature: list[int],
    band_keys: list[int],
    value_bits: str | None,
    threshold: float,
) -> NearDuplicate | None:
    params = {
        "scheme": scheme,
        "signature": bigint_array(signature),
        "band_keys": bigint_array(band_keys),
        "value_bits": value_bits,
        "threshold": threshold,
    }
    with conn.cursor(row_factory=class_row(NearDuplicate)) as cur:
        return cur.execute(q("find_near_duplicate"), params).fetchone()


def insert_signature(
    conn: Connection,
    *,
    document_id: int,
    scheme: str,
    signature: list[int],
    band_keys: list[int],
    value_bits: str | None,
) -> None:
    params = {
        "document_id": document_id,
        "scheme": scheme,
        "signature": bigint_array(signature),
        "band_keys": bigint_array(band_keys),
        "value_bits": value_bits,
    }
    conn.execute(q("insert_signature"), params)


def mark_near_duplicate(conn: Connection, *, document_id: int, first_copy_id: int) -> Document:
    params = {"document_id": document_id, "first_copy_id": first_copy_id}
    with conn.cursor(row_factory=class_row(Document)) as cur:
        row = cur.execute(q("mark_near_duplicate"), params).fetchone()
    assert row is not None
    return row
