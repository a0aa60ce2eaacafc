"""`demarche ingest` of a large batch: worker processes prepare, the main process
stores a group of documents per transaction with a savepoint per document. The
outcome per document must be the one of the one-document path (pipeline.ingest_document)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service import pipeline
from service.db import access
from service.db.pool import connection
from service.ingestion.batch import ingest_paths
from service.ingestion.schema import NewDocument
from service.runtime import Runtime
from tests.integration import wire_stories as w


def line(title: str, text: str, *, url: str | None = None, day: str = "2024-03-05") -> str:
    record: dict[str, Any] = {"title": title, "published_at": day, "text": text}
    if url:
        record["url"] = url
    return json.dumps(record)


def short(i: int) -> str:
    return line(f"n{i}", f"Item {i}. The Kremlin said Russia rejects peace talks.")


def counts(rt: Runtime) -> dict[str, Any]:
    with connection(rt.pool) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM documents) AS documents,"
            " (SELECT count(*) FROM evidence) AS evidence,"
            " (SELECT count(*) FROM audit_log) AS audit,"
            " (SELECT count(*) FROM document_signatures) AS signatures,"
            " (SELECT count(*) FROM stance_queue) AS queue,"
            " (SELECT count(*) FROM documents WHERE status = 'near-duplicate') AS near"
        ).fetchone()
    assert row is not None
    return dict(row)


@pytest.mark.parametrize("group_size", [4, 64])
def test_a_batch_through_worker_processes(
    runtime: Runtime, tmp_path: Path, group_size: int
) -> None:
    lines = [short(i) for i in range(30)]
    lines += [
        line("Macron urges China", w.WIRE_MACRON, url="https://wire.example/macron"),
        line("Macron calls on Beijing", w.SYNDICATED_MACRON, url="https://herald.example/m"),
        line("Macron again", w.WIRE_MACRON.upper()),  # the same text, up to case: a copy
        line("France to send missiles", w.OTHER_FRANCE),
        line("From the future", "Kuleba said Kyiv is ready for talks.", day="2999-01-01"),
    ]
    lines += lines[:5]  # already present (with 64 a group, in the group of their first copy)
    lines.append("{broken")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n")

    report = ingest_paths(
        runtime, [str(batch)], principal="test", processes=2, group_size=group_size
    )

    assert (report.created, report.existing) == (33, 6)
    assert sorted(reason.split(":")[0] for _, reason in report.failures) == [
        "not valid JSON (Expecting property name enclosed in double quotes)",
        "published_at is in the future",
    ]
    stored = counts(runtime)
    assert stored["documents"] == 33 and stored["audit"] == 33 and stored["near"] == 1
    assert stored["evidence"] == report.evidence and stored["queue"] >= 1
    assert stored["signatures"] == 3  # the three long stories; short texts get none
    with connection(runtime.pool) as conn:
        copy = conn.execute(
            "SELECT c.status, c.duplicate_of = o.id AS links, c.source_weight,"
            " (SELECT count(*) FROM evidence e WHERE e.document_id = c.id) AS evidence"
            " FROM documents c, documents o"
            " WHERE c.url = 'https://herald.example/m' AND o.url = 'https://wire.example/macron'"
        ).fetchone()
    assert copy == {"status": "near-duplicate", "links": True, "source_weight": 0, "evidence": 0}

    again = ingest_paths(runtime, [str(batch)], principal="test", processes=1, group_size=7)
    assert (again.created, again.existing, len(again.failures)) == (0, 39, 2)
    assert counts(runtime) == stored


def test_the_same_outcome_as_one_document_at_a_time(
    runtime: Runtime, tmp_path: Path, lexicon: Any
) -> None:
    """A near-duplicate of a document stored earlier over the one-document path."""
    from tests.integration.test_dedup import ORIGINAL

    first = pipeline.ingest_document(
        runtime.pool, runtime.lexicon, ORIGINAL, principal="api", max_text_chars=100_000
    )
    batch = tmp_path / "batch.jsonl"
    batch.write_text(line("Copy", w.SYNDICATED_MACRON, url="https://herald.example/m") + "\n")
    report = ingest_paths(runtime, [str(batch)], principal="test", processes=1)
    assert (report.created, report.evidence) == (1, 0)
    with connection(runtime.pool) as conn:
        row = conn.execute(
            "SELECT duplicate_of FROM documents WHERE url = 'https://herald.example/m'"
        ).fetchone()
    assert row == {"duplicate_of": first.document.id}


def test_a_document_failing_in_the_database_leaves_nothing_and_the_group_is_kept(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit row is written last: make it fail for one document (a division by
    zero in the database) after its document, signature and evidence rows."""
    real = access.insert_audit

    def audit(conn: Any, **kw: Any) -> None:
        if kw["after"]["title"] == "bad":
            conn.execute("SELECT 1 / 0")
        real(conn, **kw)

    monkeypatch.setattr(access, "insert_audit", audit)
    lines = [short(i) for i in range(3)] + [line("bad", w.WIRE_MACRON)]
    lines += [short(i) for i in range(3, 6)]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n")

    report = ingest_paths(runtime, [str(batch)], principal="test", processes=1, group_size=8)

    assert (report.created, report.existing) == (6, 0)
    assert len(report.failures) == 1 and "division by zero" in report.failures[0][1]
    stored = counts(runtime)
    assert (stored["documents"], stored["audit"], stored["evidence"]) == (6, 6, 6)
    assert stored["signatures"] == 0  # the bad document's signature went with it


def test_evidence_rows_are_those_of_the_one_document_path(runtime: Runtime, tmp_path: Path) -> None:
    """The batch path sends evidence as one JSON parameter; the rows must be the same
    as the array path's, value for value (reals rounded the same way, cue ids, speakers)."""
    from datetime import UTC, datetime

    from service.ingestion.files import read_records

    seed = next(r.document for r in read_records(sorted(Path("seeds").glob("*.txt")), None))  # type: ignore[arg-type]
    assert seed is not None
    batch = tmp_path / "batch.jsonl"
    record = {
        "title": seed.title,
        "published_at": seed.published_at.astimezone(UTC).isoformat(),
        "text": seed.text,
    }
    batch.write_text(json.dumps(record) + "\n")
    assert ingest_paths(runtime, [str(batch)], principal="test", processes=1).created == 1
    # the same text again (plus a line, so it is not an exact copy) over the API's path,
    # which does not look for near-duplicates
    one = pipeline.ingest_document(
        runtime.pool,
        runtime.lexicon,
        NewDocument(
            title=seed.title,
            text=seed.text + "\n\nUnrelated closing line.",
            published_at=seed.published_at,
        ),
        principal="api",
        max_text_chars=100_000,
        read_back=False,
    )
    assert one.created and one.evidence_count > 3
    columns = (
        "actor_id, topic_id, polarity, rejected, machine_actor_id, machine_topic_id,"
        " machine_polarity, correction_id, strength, confidence, sentence_index, char_start,"
        " char_end, quote, speaker, cue_ids, extractor_version, lexicon_version, published_at,"
        " source_weight"
    )
    with connection(runtime.pool) as conn:
        ids = [r["id"] for r in conn.execute("SELECT id FROM documents ORDER BY id").fetchall()]
        rows = [
            conn.execute(
                f"SELECT {columns} FROM evidence WHERE document_id = %s"  # type: ignore[arg-type]
                " ORDER BY char_start, topic_id, actor_id",
                [i],
            ).fetchall()
            for i in ids
        ]
    assert len(ids) == 2 and rows[0] == rows[1] and len(rows[0]) == one.evidence_count
    assert isinstance(rows[0][0]["published_at"], datetime)


def test_a_deadlocked_document_is_tried_again_in_its_group(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two concurrent batches with the same documents in opposite orders can deadlock on
    the unique url/text index; the cancelled document is rolled back to its savepoint
    and tried again (here the deadlock is simulated once, after its rows were written)."""
    from psycopg.errors import DeadlockDetected

    real = access.insert_audit
    raised: list[str] = []

    def audit(conn: Any, **kw: Any) -> None:
        real(conn, **kw)
        if kw["after"]["title"] == "n2" and not raised:
            raised.append("once")
            raise DeadlockDetected("deadlock detected")

    monkeypatch.setattr(access, "insert_audit", audit)
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(short(i) for i in range(5)) + "\n")
    report = ingest_paths(runtime, [str(batch)], principal="test", processes=1, group_size=5)
    assert raised == ["once"]
    assert (report.created, report.existing, report.failures) == (5, 0, [])
    stored = counts(runtime)
    assert (stored["documents"], stored["audit"], stored["evidence"]) == (5, 5, 5)
