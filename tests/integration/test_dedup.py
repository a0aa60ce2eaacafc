"""Once each, through the ingest use case on PostgreSQL: exact copies, near-duplicates
(signatures and LSH band keys kept in the database), and copies stored at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from service import pipeline
from service.db.pool import connection
from service.ingestion.schema import NewDocument
from service.runtime import Runtime
from tests.integration import wire_stories as w

THRESHOLD = 0.5


def story(title: str, text: str, url: str | None = None, day: int = 5) -> NewDocument:
    return NewDocument(
        title=title, text=text, url=url, published_at=datetime(2024, 3, day, 10, tzinfo=UTC)
    )


ORIGINAL = story("Macron urges China", w.WIRE_MACRON, "https://wire.example/macron")
COPY = story("Macron calls on Beijing", w.SYNDICATED_MACRON, "https://herald.example/m", day=6)
OTHER = story("France to send missiles", w.OTHER_FRANCE, "https://herald.example/aid", day=7)


def ingest(rt: Runtime, new: NewDocument, **kw: Any) -> pipeline.IngestResult:
    kw.setdefault("near_duplicate_threshold", THRESHOLD)
    return pipeline.ingest_document(
        rt.pool, rt.lexicon, new, principal="test", max_text_chars=100_000, **kw
    )


def one(rt: Runtime, sql: str, *params: Any) -> Any:
    with connection(rt.pool) as conn:
        row = conn.execute(sql, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return next(iter(row.values()))


def test_a_syndicated_copy_links_to_the_first_copy_and_adds_no_evidence(
    runtime: Runtime,
) -> None:
    first = ingest(runtime, ORIGINAL, source_weight=2.0)
    copy = ingest(runtime, COPY)
    other = ingest(runtime, OTHER)

    assert first.created and first.document.status == "extracted" and first.evidence
    assert copy.created and copy.document.status == "near-duplicate"
    assert copy.document.duplicate_of == first.document.id and copy.evidence == []
    assert other.document.status == "extracted" and other.document.duplicate_of is None
    assert one(runtime, "SELECT source_weight FROM documents WHERE id = %s", copy.document.id) == 0
    weights = "SELECT array_agg(DISTINCT source_weight) FROM evidence WHERE document_id = %s"
    assert one(runtime, weights, first.document.id) == [2.0]
    assert one(runtime, "SELECT count(*) FROM document_signatures") == 3
    assert one(runtime, "SELECT count(DISTINCT document_id) FROM document_bands") == 3


def test_a_copy_of_a_copy_links_to_the_first(runtime: Runtime) -> None:
    first = ingest(runtime, ORIGINAL)
    ingest(runtime, COPY)
    edited = w.SYNDICATED_MACRON.replace("Our correspondent in Kyiv", "A reporter in Lviv")
    third = ingest(runtime, story("Macron and Beijing", edited, "https://third.example/x", day=7))
    assert third.document.duplicate_of == first.document.id


def test_exact_copies_and_known_urls_are_not_stored_again(runtime: Runtime) -> None:
    first = ingest(runtime, ORIGINAL)
    relaid = story("Another title", "  " + w.WIRE_MACRON.upper() + "\n", "https://x.example/y")
    same_url = story("Updated", w.OTHER_FRANCE, "HTTPS://WIRE.example/macron?utm_source=feed#top")
    for again in (ORIGINAL, relaid, same_url):
        result = ingest(runtime, again)
        assert not result.created and result.document.id == first.document.id
    assert one(runtime, "SELECT count(*) FROM documents") == 1


def test_without_a_threshold_nothing_is_merged_but_signatures_are_kept(
    runtime: Runtime,
) -> None:
    """Callers that do not ask for the check (as before) store both copies, and the
    signatures still let a later checked ingest find either of them."""
    ingest(runtime, ORIGINAL, near_duplicate_threshold=None)
    copy = ingest(runtime, COPY, near_duplicate_threshold=None)
    assert copy.document.status == "extracted"
    third = ingest(runtime, story("Macron", w.SYNDICATED_MACRON + "\nUpdated.", None, day=8))
    assert third.document.status == "near-duplicate"


def test_two_copies_stored_at_once_make_one_original(runtime: Runtime) -> None:
    """The band keys are locked while a document is stored, so of two copies arriving
    in two processes at the same moment, the second sees the first."""
    results: list[pipeline.IngestResult] = []
    start = threading.Barrier(2)

    def run(new: NewDocument) -> None:
        start.wait()
        results.append(ingest(runtime, new))

    threads = [threading.Thread(target=run, args=(new,)) for new in (ORIGINAL, COPY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    statuses = sorted(r.document.status for r in results)
    assert statuses == ["extracted", "near-duplicate"]
