"""The ingest use case: one transaction, idempotent, seeds through the same path."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service import pipeline
from service.db import documents
from service.db.pool import connection
from service.errors import ExtractionError, ValidationError
from service.extraction import Evidence, Lexicon
from service.ingestion.schema import NewDocument
from service.ingestion.seeds import load_seeds_if_empty
from service.runtime import Runtime

DOC = NewDocument(
    title="Beijing urges talks",
    text="Chinese Foreign Minister Wang Yi said China supports peace talks. It was windy.",
    published_at=datetime(2022, 6, 1, tzinfo=UTC),
)


def ingest(rt: Runtime, new: NewDocument = DOC, **kwargs) -> pipeline.IngestResult:  # type: ignore[no-untyped-def]
    return pipeline.ingest_document(
        rt.pool, rt.lexicon, new, principal="test", max_text_chars=10_000, **kwargs
    )


def table_counts(rt: Runtime) -> dict[str, int]:
    with connection(rt.pool) as conn:
        return {
            t: conn.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"]  # type: ignore[index]
            for t in ("documents", "evidence", "stance_queue", "audit_log")
        }


def test_failure_in_extraction_stores_nothing(runtime: Runtime) -> None:
    def broken(text: str, day: date, lexicon: Lexicon) -> list[Evidence]:
        raise RuntimeError("rule exploded")

    with pytest.raises(ExtractionError, match="rule exploded"):
        ingest(runtime, extractor=broken)
    assert table_counts(runtime) == {
        "documents": 0,
        "evidence": 0,
        "stance_queue": 0,
        "audit_log": 0,
    }


def test_failure_while_storing_evidence_rolls_the_document_back(runtime: Runtime) -> None:
    """The document row is inserted first; bad evidence after it must undo it."""

    def unknown_actor(text: str, day: date, lexicon: Lexicon) -> list[Evidence]:
        return [
            Evidence(
                actor_id="atlantis",
                topic_id="negotiated-settlement",
                polarity=1.0,
                strength=1.0,
                confidence=1.0,
                sentence_index=0,
                char_start=0,
                char_end=10,
                quote=text[:10],
                speaker=None,
                cue_ids=("x",),
            )
        ]

    with pytest.raises(ValidationError):
        ingest(runtime, extractor=unknown_actor)
    assert table_counts(runtime)["documents"] == 0


def test_ingest_stores_evidence_and_queues_pairs(runtime: Runtime) -> None:
    result = ingest(runtime)
    assert result.created
    assert any(
        e.actor_id == "china" and e.topic_id == "negotiated-settlement" for e in result.evidence
    )
    for e in result.evidence:
        assert result.document.text[e.char_start : e.char_end] == e.quote
    counts = table_counts(runtime)
    assert counts["documents"] == 1 and counts["evidence"] == len(result.evidence)
    assert counts["stance_queue"] >= 1 and counts["audit_log"] == 1
    again = ingest(runtime)
    assert not again.created and again.document.id == result.document.id
    assert table_counts(runtime) == counts


def test_text_is_normalised_and_hashed_for_identity(runtime: Runtime) -> None:
    first = ingest(
        runtime,
        NewDocument(title="t", text="Cafe\u0301  said\r\nhello.", published_at=DOC.published_at),
    )
    assert first.document.text == "Café  said\nhello."
    reflowed = ingest(
        runtime, NewDocument(title="t", text="café said hello.", published_at=DOC.published_at)
    )
    assert not reflowed.created and reflowed.document.id == first.document.id


def test_seeds_load_once_into_an_empty_database(runtime: Runtime) -> None:
    assert load_seeds_if_empty(runtime) == 2
    assert load_seeds_if_empty(runtime) == 0
    with connection(runtime.pool) as conn:
        docs = documents.list_documents(conn, limit=10)
    assert [d.published_at.date().isoformat() for d in docs] == ["2023-04-06", "2022-11-15"]
    assert all(d.evidence_count > 0 for d in docs)


def test_concurrent_batch_stores_each_document_once_and_whole(runtime: Runtime, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from service.ingestion.batch import ingest_paths

    lines = [
        json.dumps(
            {
                "title": f"n{i}",
                "published_at": "2023-02-01",
                "text": f"Item {i}. The Kremlin said Russia rejects peace talks.",
            }
        )
        for i in range(30)
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines + lines[:5] + ["{broken"]) + "\n")
    report = ingest_paths(runtime, [str(batch)], principal="test", workers=4)
    assert (report.created, report.existing, len(report.failures)) == (30, 5, 1)
    assert report.evidence == 30
    counts = table_counts(runtime)
    assert (counts["documents"], counts["evidence"], counts["audit_log"]) == (30, 30, 30)
