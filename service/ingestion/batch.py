"""Ingest many documents from files: each in its own transaction, failures reported."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from service import pipeline
from service.errors import DemarcheError, Unavailable
from service.extraction import extract
from service.ingestion.files import count_records, expand_paths, read_records
from service.ingestion.schema import NewDocument
from service.runtime import Runtime

IN_FLIGHT = 4  # documents queued per worker thread


@dataclass
class IngestReport:
    created: int = 0
    existing: int = 0
    evidence: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"stored {self.created} new documents ({self.evidence} evidence items), "
            f"{self.existing} already present, {len(self.failures)} failed"
        )


def ingest_paths(
    rt: Runtime,
    paths: list[str],
    *,
    principal: str,
    progress: bool = False,
    extractor: pipeline.Extractor = extract,
    workers: int | None = None,
) -> IngestReport:
    """Ingest every record under ``paths``, each document in its own transaction.

    ``workers`` threads (default: the ``ingest_workers`` setting) ingest at once,
    so one document's extraction overlaps another's database round trips. A bad
    record is reported and skipped; a database outage stops the batch (what was
    stored before it stays stored, whole)."""
    files: list[Path | str] = expand_paths(paths)
    report = IngestReport()
    count = workers or rt.settings.ingest_workers
    show = progress and sys.stderr.isatty()
    bar = click.progressbar(
        length=count_records(files) or 0, label="ingesting", file=sys.stderr, hidden=not show
    )

    def one(document: NewDocument) -> pipeline.IngestResult:
        return pipeline.ingest_document(
            rt.pool,
            rt.lexicon,
            document,
            principal=principal,
            max_text_chars=rt.settings.max_text_chars,
            extractor=extractor,
            near_duplicate_threshold=rt.settings.near_duplicate_threshold,
            read_back=False,
        )

    with bar, ThreadPoolExecutor(max_workers=count) as pool:
        pending: dict[Future[pipeline.IngestResult], str] = {}
        try:
            for record in read_records(files, sys.stdin):
                if record.document is None:
                    bar.update(1)
                    report.failures.append((record.location, record.error or "unreadable"))
                    continue
                pending[pool.submit(one, record.document)] = record.location
                if len(pending) >= count * IN_FLIGHT:  # bounded memory on huge files
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    _collect(done, pending, report, bar)
            _collect(pending.keys(), pending, report, bar)
        except Unavailable:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return report


def _collect(
    done: Iterable[Future[pipeline.IngestResult]],
    pending: dict[Future[pipeline.IngestResult], str],
    report: IngestReport,
    bar: Any,
) -> None:
    """Count finished ingests; re-raise a database outage to stop the batch."""
    for future in list(done):
        location = pending.pop(future)
        bar.update(1)
        try:
            result = future.result()
        except Unavailable:
            raise
        except DemarcheError as exc:
            report.failures.append((location, exc.message))
            continue
        if result.created:
            report.created += 1
            report.evidence += result.evidence_count
        else:
            report.existing += 1
