"""Re-extraction when the lexicon or extractor changes keeps analysts' corrections."""

from __future__ import annotations

from datetime import UTC, datetime

from service import pipeline
from service.db import evidence
from service.db.pool import connection, transaction
from service.ingestion.schema import NewDocument
from service.runtime import Runtime

TEXT = (
    "Chinese Foreign Minister Wang Yi said China supports peace talks. "
    "The Kremlin said there were no prospects for a peaceful settlement."
)


def test_reextract_refreshes_outdated_documents_and_keeps_corrections(runtime: Runtime) -> None:
    new = NewDocument(title="t", text=TEXT, published_at=datetime(2023, 5, 1, tzinfo=UTC))
    doc = pipeline.ingest_document(
        runtime.pool, runtime.lexicon, new, principal="test", max_text_chars=10_000
    ).document
    with connection(runtime.pool) as conn:
        before = evidence.list_document_evidence(conn, doc.id)
    target = next(e for e in before if e.actor_id == "russia")
    with transaction(runtime.pool) as conn:
        conn.execute(
            "INSERT INTO evidence_corrections (document_id, char_start, char_end, topic_id,"
            " actor_id, action, reason, created_by) VALUES (%s, %s, %s, %s, %s, 'reject',"
            " 'not an official position', 'test')",
            [doc.id, target.char_start, target.char_end, target.topic_id, target.actor_id],
        )
        conn.execute("UPDATE documents SET lexicon_version = 'older-lexicon'")

    assert pipeline.reextract_outdated(runtime.pool, runtime.lexicon) == {"documents": 1}
    assert pipeline.reextract_outdated(runtime.pool, runtime.lexicon) == {"documents": 0}
    with connection(runtime.pool) as conn:
        after = evidence.list_document_evidence(conn, doc.id)
        version = conn.execute("SELECT lexicon_version FROM documents").fetchone()
    assert version["lexicon_version"] == runtime.lexicon.version  # type: ignore[index]
    assert {(e.char_start, e.char_end, e.machine_topic_id, e.machine_actor_id) for e in after} == {
        (e.char_start, e.char_end, e.machine_topic_id, e.machine_actor_id) for e in before
    }
    rejected = [e for e in after if e.rejected]
    assert [(e.actor_id, e.topic_id) for e in rejected] == [(target.actor_id, target.topic_id)]
    assert rejected[0].correction_id is not None
