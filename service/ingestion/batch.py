"""Ingest many documents from files: each all or nothing, failures reported.

Two ways, the same outcome per document:
- a batch of at least ``PROCESS_MIN_RECORDS`` documents (or JSONL on stdin) with
  the standard extractor: worker processes prepare the documents (check, normalise,
  extract, sign: ingestion/prepare.py) while this process stores them,
  ``GROUP_SIZE`` documents per transaction with a savepoint per document
  (``pipeline.store_prepared``);
- smaller batches, or another extractor (tests): ``ingest_workers`` threads, each
  document in its own transaction (``pipeline.ingest_document``), no start-up cost."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from service import pipeline
from service.errors import DemarcheError, Unavailable
from service.extraction import extract
from service.ingestion.files import Record, count_records, expand_paths, read_records
from service.ingestion.prepare import Prepared, init_worker, prepare_chunk
from service.ingestion.schema import NewDocument
from service.runtime import Runtime

IN_FLIGHT = 4  # documents queued per worker thread
# Process path: documents per transaction, per task sent to a worker, and tasks
# queued per worker (bounded memory on huge files; enough to keep workers busy
# while a group is written).
GROUP_SIZE = 32
CHUNK = 8
CHUNKS_IN_FLIGHT = 6
# Below this, starting the worker processes (~0.3 s) costs more than they save.
PROCESS_MIN_RECORDS = 64


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
    processes: int | None = None,
    group_size: int = GROUP_SIZE,
) -> IngestReport:
    """Ingest every record under ``paths``; each document is stored whole or not at all.

    With the standard extractor and a batch of at least PROCESS_MIN_RECORDS records
    (or stdin), ``processes`` worker processes (default: the ``ingest_processes``
    setting, 0 = one per core) prepare the documents while this process stores them
    in groups; an explicit ``processes`` always takes that path. Otherwise
    ``workers`` threads (default: ``ingest_workers``) ingest one document each at a
    time. A bad record is reported and skipped; a database outage stops the batch
    (what was stored before it stays stored, whole)."""
    files: list[Path | str] = expand_paths(paths)
    report = IngestReport()
    total = count_records(files)
    show = progress and sys.stderr.isatty()
    bar = click.progressbar(length=total or 0, label="ingesting", file=sys.stderr, hidden=not show)
    count = processes if processes is not None else rt.settings.ingest_processes
    count = count or os.cpu_count() or 1
    use_processes = extractor is extract and (
        processes is not None or total is None or total >= PROCESS_MIN_RECORDS
    )
    records = read_records(files, sys.stdin)
    with bar:
        if use_processes:
            _with_processes(rt, records, report, bar, principal, count, group_size)
        else:
            _with_threads(rt, records, report, bar, principal, extractor, workers)
    return report


def _with_processes(
    rt: Runtime,
    records: Iterator[Record],
    report: IngestReport,
    bar: Any,
    principal: str,
    processes: int,
    group_size: int,
) -> None:
    """Workers prepare chunks of documents, in order; this process stores them in groups."""
    with tempfile.TemporaryDirectory(prefix="demarche-ingest-") as folder:
        lexicon_path = os.path.join(folder, "lexicon.pickle")
        with open(lexicon_path, "wb") as fh:
            pickle.dump(rt.lexicon, fh)
        executor = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of a process with threads
            initializer=init_worker,
            initargs=(lexicon_path, rt.settings.max_text_chars),
        )
        _run_processes(executor, rt, records, report, bar, principal, processes, group_size)


def _run_processes(
    executor: ProcessPoolExecutor,
    rt: Runtime,
    records: Iterator[Record],
    report: IngestReport,
    bar: Any,
    principal: str,
    processes: int,
    group_size: int,
) -> None:
    in_flight: deque[tuple[Future[list[Prepared | str]], list[str]]] = deque()
    group: list[tuple[str, Prepared]] = []

    def store_group() -> None:
        results = pipeline.store_prepared(
            rt.pool,
            rt.lexicon,
            [p for _, p in group],
            principal=principal,
            near_duplicate_threshold=rt.settings.near_duplicate_threshold,
        )
        for (location, _), result in zip(group, results, strict=True):
            bar.update(1)
            if isinstance(result, str):
                report.failures.append((location, result))
            elif result.created:
                report.created += 1
                report.evidence += result.evidence_count
            else:
                report.existing += 1
        group.clear()

    def collect_oldest() -> None:
        future, locations = in_flight.popleft()
        try:
            outcomes = future.result()
        except BrokenProcessPool as exc:  # killed (e.g. out of memory) or failed to start
            raise DemarcheError(
                f"a worker process stopped ({exc}); the documents stored before it stay stored"
            ) from exc
        for location, outcome in zip(locations, outcomes, strict=True):
            if isinstance(outcome, str):
                bar.update(1)
                report.failures.append((location, outcome))
                continue
            group.append((location, outcome))
            if len(group) >= group_size:
                store_group()

    def submit(documents: list[NewDocument], locations: list[str]) -> None:
        in_flight.append((executor.submit(prepare_chunk, list(documents)), list(locations)))
        documents.clear()
        locations.clear()
        while len(in_flight) >= processes * CHUNKS_IN_FLIGHT:
            collect_oldest()

    try:
        documents: list[NewDocument] = []
        locations: list[str] = []
        for record in records:
            if record.document is None:
                bar.update(1)
                report.failures.append((record.location, record.error or "unreadable"))
                continue
            documents.append(record.document)
            locations.append(record.location)
            if len(documents) >= CHUNK:
                submit(documents, locations)
        if documents:
            submit(documents, locations)
        while in_flight:
            collect_oldest()
        if group:
            store_group()
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _with_threads(
    rt: Runtime,
    records: Iterator[Record],
    report: IngestReport,
    bar: Any,
    principal: str,
    extractor: pipeline.Extractor,
    workers: int | None,
) -> None:
    """``workers`` threads, one document each at a time, each in its own transaction,
    so one document's extraction overlaps another's database round trips."""
    count = workers or rt.settings.ingest_workers

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

    with ThreadPoolExecutor(max_workers=count) as pool:
        pending: dict[Future[pipeline.IngestResult], str] = {}
        try:
            for record in records:
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
