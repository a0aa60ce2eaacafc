"""Inbox folders: files in, processed/ or failed/ out; half-written files wait."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from service.db.pool import connection, transaction
from service.ingestion import sources
from service.runtime import Runtime
from service.scheduler import run_job
from tests.integration import wire_stories as w
from tests.integration.feeds_server import Story, article_page


def add_inbox(rt: Runtime, folder: Path) -> int:
    source = sources.create_source(
        rt.pool, kind="inbox", path=str(folder), poll_interval_seconds=60, principal="test"
    )
    return source.id


def settled(*paths: Path, age: float = 60) -> None:
    """Make files look finished: last written ``age`` seconds ago."""
    for path in paths:
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))


def titles(rt: Runtime) -> set[str]:
    with connection(rt.pool) as conn:
        return {r["title"] for r in conn.execute("SELECT title FROM documents").fetchall()}


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def doc(title: str, text: str, published_at: str = "2024-03-06") -> dict[str, Any]:
    return {"title": title, "text": text, "published_at": published_at, "language": "en"}


def test_files_are_ingested_then_moved(runtime: Runtime, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source_id = add_inbox(runtime, inbox)
    (inbox / "kremlin.txt").write_text(
        "---\ntitle: Kremlin sees no prospect of peace\npublished_at: 2024-03-06\n---\n"
        + w.KREMLIN_PESKOV
    )
    (inbox / "wang-yi.md").write_text(w.CHINA_WANG_YI)
    (inbox / "wang-yi.meta.yaml").write_text("title: Wang Yi on talks\npublished_at: 2024-03-06\n")
    (inbox / "kuleba.json").write_text(json.dumps(doc("Kuleba on sovereignty", w.UKRAINE_KULEBA)))
    (inbox / "batch.jsonl").write_text(
        json.dumps(doc("Lecornu announces aid", w.OTHER_FRANCE))
        + "\n{not json\n"
        + json.dumps({"title": "No date", "text": "Something."})
        + "\n"
    )
    page = Story("/p", "Macron urges China to press Russia", w.WIRE_MACRON, "2024-03-05T10:00:00Z")
    (inbox / "macron.html").write_bytes(article_page(page, site="Continental Wire"))
    (inbox / "broken.json").write_text('{"title": "cut off", "te')
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.7")  # not a document type: left alone
    settled(*inbox.iterdir())

    result = sources.poll_source_now(runtime, source_id, principal="test")

    tally = result.tally
    assert result.error is None
    assert (tally.fetched, tally.new, tally.failed) == (6, 5, 3)
    assert titles(runtime) == {
        "Kremlin sees no prospect of peace",
        "Wang Yi on talks",
        "Kuleba on sovereignty",
        "Lecornu announces aid",
        "Macron urges China to press Russia",
    }
    assert names(inbox / "processed") == {
        "kremlin.txt", "wang-yi.md", "wang-yi.meta.yaml", "kuleba.json", "macron.html",
    }  # fmt: skip
    assert names(inbox / "failed") == {
        "batch.jsonl", "batch.jsonl.error.txt", "broken.json", "broken.json.error.txt",
    }  # fmt: skip
    assert names(inbox) == {"processed", "failed", "notes.pdf"}
    why = (inbox / "failed" / "batch.jsonl.error.txt").read_text()
    assert "batch.jsonl:2: not valid JSON" in why and "batch.jsonl:3: published_at" in why
    assert "not valid JSON" in (inbox / "failed" / "broken.json.error.txt").read_text()
    with connection(runtime.pool) as conn:
        html_doc = conn.execute(
            "SELECT * FROM documents WHERE title = 'Macron urges China to press Russia'"
        ).fetchone()
    assert html_doc is not None and html_doc["source"] == "Continental Wire"
    assert html_doc["published_at"].date().isoformat() == "2024-03-05"
    assert html_doc["source_id"] == source_id

    # the same file dropped again: an exact duplicate, moved beside the first copy
    (inbox / "kuleba.json").write_text(json.dumps(doc("Kuleba on sovereignty", w.UKRAINE_KULEBA)))
    settled(inbox / "kuleba.json")
    again = sources.poll_source_now(runtime, source_id, principal="test").tally
    assert (again.new, again.duplicate, again.failed) == (0, 1, 0)
    assert len([n for n in names(inbox / "processed") if n.startswith("kuleba")]) == 2


def test_a_file_still_being_written_waits(runtime: Runtime, tmp_path: Path) -> None:
    add_inbox(runtime, tmp_path)
    growing = tmp_path / "kuleba.json"
    growing.write_text(json.dumps(doc("Kuleba on sovereignty", w.UKRAINE_KULEBA))[:40])
    (tmp_path / ".upload.json").write_text("{}")  # hidden: a writer's work file
    (tmp_path / "next.json.part").write_text("{}")
    settled(tmp_path / ".upload.json", tmp_path / "next.json.part")

    first = run_job(runtime, "poll_sources", sources.poll_sources_job)
    assert first is not None and first.counts["fetched"] == 0
    assert growing.exists() and titles(runtime) == set()

    growing.write_text(json.dumps(doc("Kuleba on sovereignty", w.UKRAINE_KULEBA)))
    settled(growing)
    with transaction(runtime.pool) as conn:
        conn.execute("UPDATE sources SET next_poll_at = now()")
    second = run_job(runtime, "poll_sources", sources.poll_sources_job)
    assert second is not None and (second.counts["fetched"], second.counts["new"]) == (1, 1)
    assert names(tmp_path / "processed") == {"kuleba.json"}
    assert {".upload.json", "next.json.part"} <= names(tmp_path)


def test_a_missing_folder_is_a_source_error_with_backoff(runtime: Runtime, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    source_id = add_inbox(runtime, folder)
    folder.rmdir()

    result = sources.poll_source_now(runtime, source_id, principal="test")

    assert result.error is not None and "does not exist" in result.error
    assert result.source.consecutive_failures == 1
    assert result.source.next_poll_at > result.source.last_polled_at  # type: ignore[operator]
