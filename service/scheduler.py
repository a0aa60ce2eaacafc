"""Scheduled jobs (APScheduler), each run under a PostgreSQL advisory lock.

Several replicas may run the scheduler against one database: a job's run
takes a session-level advisory lock on a connection of its own, so exactly one
process runs it and the others skip that tick. Every run that takes the lock
is recorded in job_runs; an exception is recorded there and never stops the
scheduler or the other jobs."""

from __future__ import annotations

import logging
import os
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import undefined

from service import metrics, pipeline
from service.db import jobs
from service.db.jobs import JobRun
from service.db.pool import transaction
from service.ingestion.sources import poll_sources_job
from service.runtime import Runtime

log = logging.getLogger(__name__)

JobFunction = Callable[[Runtime], dict[str, Any]]


@dataclass(frozen=True)
class Job:
    name: str
    function: JobFunction
    trigger: Callable[[Runtime], BaseTrigger]


def run_job(rt: Runtime, name: str, function: JobFunction) -> JobRun | None:
    """Run ``function`` once if no other process is running ``name``; None when skipped."""
    with psycopg.connect(
        rt.database_url, autocommit=True, row_factory=psycopg.rows.dict_row
    ) as lock:
        if not jobs.try_job_lock(lock, name):
            log.info("job %s skipped: another process holds its lock", name)
            return None
        try:
            with transaction(rt.pool) as conn:
                run = jobs.start_job_run(conn, name)
            status, counts, error = "ok", {}, None
            try:
                counts = function(rt)
            except Exception as exc:
                status, error = "failed", f"{exc.__class__.__name__}: {exc}"
                log.error("job %s failed: %s\n%s", name, error, traceback.format_exc())
            with transaction(rt.pool) as conn:
                finished = jobs.finish_job_run(
                    conn, run.id, status=status, counts=counts, error=error
                )
            metrics.JOB_RUNS.labels(name, status).inc()
            return finished
        finally:
            jobs.release_job_lock(lock, name)


def guarded(rt: Runtime, job: Job) -> Callable[[], None]:
    """The callable APScheduler runs: never raises, whatever happens."""

    def tick() -> None:
        try:
            run_job(rt, job.name, job.function)
        except Exception:  # even the bookkeeping failed (database down): log, keep going
            log.exception("job %s could not run", job.name)

    tick.__name__ = f"tick_{job.name.replace('-', '_')}"
    return tick


def build_scheduler(rt: Runtime, job_list: list[Job]) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    now = datetime.now(UTC)
    for job in job_list:
        trigger = job.trigger(rt)
        # interval jobs also run once at start, so a fresh service scores its seeds at once
        first = now if isinstance(trigger, IntervalTrigger) else undefined
        scheduler.add_job(
            guarded(rt, job), trigger=trigger, id=job.name, name=job.name, next_run_time=first
        )
    return scheduler


def run_forever(rt: Runtime, job_list: list[Job], *, exit_with_parent: bool = False) -> None:
    """Run the scheduler until SIGTERM/SIGINT (or until the parent process is gone)."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    parent = os.getppid()
    scheduler = build_scheduler(rt, job_list)
    scheduler.start()
    log.info("scheduler started with jobs: %s", ", ".join(j.name for j in job_list))
    try:
        while not stop.wait(1.0):
            if exit_with_parent and os.getppid() != parent:
                log.info("parent process gone; scheduler stopping")
                break
    finally:
        scheduler.shutdown(wait=True)


def rescore_job(rt: Runtime) -> dict[str, Any]:
    """Re-score the pairs that got new or corrected evidence since the last run."""
    return pipeline.rescore(rt.pool, rt.settings)


def full_rescore_job(rt: Runtime) -> dict[str, Any]:
    """Re-score every pair, so the decay of old evidence shows."""
    return pipeline.rescore(rt.pool, rt.settings, full=True)


def reextract_job(rt: Runtime) -> dict[str, Any]:
    """Re-extract documents whose lexicon or extractor version is out of date."""
    return pipeline.reextract_outdated(rt.pool, rt.lexicon)


def default_jobs() -> list[Job]:
    return [
        Job(
            "rescore",
            rescore_job,
            lambda rt: IntervalTrigger(seconds=rt.settings.rescore_interval_seconds),
        ),
        Job(
            "rescore-full",
            full_rescore_job,
            lambda rt: CronTrigger(
                hour=rt.settings.full_rescore_hour_utc, minute=0, timezone="UTC"
            ),
        ),
        Job(
            "reextract",
            reextract_job,
            lambda rt: IntervalTrigger(seconds=rt.settings.reextract_interval_seconds),
        ),
        Job(
            "poll_sources",
            poll_sources_job,
            lambda rt: IntervalTrigger(seconds=rt.settings.poll_sources_interval_seconds),
        ),
    ]


def next_run_times(rt: Runtime, last_started: dict[str, datetime]) -> dict[str, datetime]:
    """When each job is next expected to run (for GET /jobs; the scheduler may be
    in another process, so this is computed from the triggers and the last runs)."""
    now = datetime.now(UTC)
    out: dict[str, datetime] = {}
    for job in default_jobs():
        trigger = job.trigger(rt)
        if isinstance(trigger, IntervalTrigger):
            last = last_started.get(job.name)
            due = last + trigger.interval if last else now
            out[job.name] = max(due, now)
        else:
            fire = trigger.get_next_fire_time(None, now)
            if fire is not None:
                out[job.name] = fire
    return out
