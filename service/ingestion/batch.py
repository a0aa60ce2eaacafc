"""Ingest many documents from files: each in its own transaction, failures reported."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from service import pipeline
from service.errors import DemarcheError, Unavailable
from service.extraction import extract
from service.ingestion.files import count_records, expand_paths, read_records
from service.runtime import Runtime


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
) -> IngestReport:
    """Ingest every record under ``paths``. A bad record is reported and skipped;
    a database outage stops the batch (what was stored before it stays stored)."""
    files: list[Path | str] = expand_paths(paths)
    report = IngestReport()
    show = progress and sys.stderr.isatty()
    bar = click.progressbar(
        length=count_records(files) or 0, label="ingesting", file=sys.stderr, hidden=not show
    )
    with bar:
        for record in read_records(files, sys.stdin):
            bar.update(1)
            if record.document is None:
                report.failures.append((record.location, record.error or "unreadable"))
                continue
            try:
                result = pipeline.ingest_document(
                    rt.pool,
                    rt.lexicon,
                    record.document,
                    principal=principal,
                    max_text_chars=rt.settings.max_text_chars,
                    extractor=extractor,
                    near_duplicate_threshold=rt.settings.near_duplicate_threshold,
                )
            except Unavailable:
                raise
            except DemarcheError as exc:
                report.failures.append((record.location, exc.message))
                continue
            if result.created:
                report.created += 1
                report.evidence += len(result.evidence)
            else:
                report.existing += 1
    return report
