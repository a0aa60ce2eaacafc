"""Near-duplicate signatures of documents and the LSH band keys that find candidates
(the check itself is part of the document's insert: documents.py)."""

from __future__ import annotations

from service.db.documents import bigint_array
from service.db.pool import Connection
from service.db.sql import q


def lock_band_keys(conn: Connection, band_keys: list[int]) -> None:
    """Hold off other ingests of similar documents until this transaction ends."""
    conn.execute(q("lock_band_keys"), {"band_keys": bigint_array(band_keys)})


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
