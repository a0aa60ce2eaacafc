"""Scheduled jobs: advisory lock, job_runs, failures that do not stop the rest."""

from __future__ import annotations

import time

import psycopg

from service.db import jobs
from service.db.pool import connection
from service.runtime import Runtime
from service.scheduler import Job, build_scheduler, run_job


def test_run_is_recorded_with_counts(runtime: Runtime) -> None:
    run = run_job(runtime, "demo", lambda rt: {"things": 3})
    assert run is not None and run.status == "ok" and run.counts == {"things": 3}
    assert run.finished_at is not None and run.finished_at >= run.started_at


def test_exception_is_recorded_not_raised(runtime: Runtime) -> None:
    def boom(rt: Runtime) -> dict:  # type: ignore[type-arg]
        raise RuntimeError("feed exploded")

    run = run_job(runtime, "boom", boom)
    assert run is not None and run.status == "failed"
    assert run.error == "RuntimeError: feed exploded"


def test_second_process_skips_while_the_lock_is_held(runtime: Runtime) -> None:
    with psycopg.connect(
        runtime.database_url, autocommit=True, row_factory=psycopg.rows.dict_row
    ) as other:
        assert jobs.try_job_lock(other, "rescore")
        assert run_job(runtime, "rescore", lambda rt: {}) is None
        assert run_job(runtime, "other-job", lambda rt: {}) is not None
        jobs.release_job_lock(other, "rescore")
    assert run_job(runtime, "rescore", lambda rt: {}) is not None
    with connection(runtime.pool) as conn:
        names = [r.job for r in jobs.list_job_runs(conn, limit=10)]
    assert sorted(names) == ["other-job", "rescore"]


def test_a_failing_job_does_not_stop_the_scheduler(runtime: Runtime) -> None:
    from apscheduler.triggers.interval import IntervalTrigger

    def boom(rt: Runtime) -> dict:  # type: ignore[type-arg]
        raise ValueError("always")

    every = lambda rt: IntervalTrigger(seconds=1)  # noqa: E731
    scheduler = build_scheduler(
        runtime, [Job("boom", boom, every), Job("fine", lambda rt: {"ok": 1}, every)]
    )
    scheduler.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with connection(runtime.pool) as conn:
                runs = jobs.list_job_runs(conn, limit=50)
            if sum(r.job == "boom" for r in runs) >= 2 and sum(r.job == "fine" for r in runs) >= 2:
                break
            time.sleep(0.3)
    finally:
        scheduler.shutdown(wait=True)
    assert sum(r.job == "boom" and r.status == "failed" for r in runs) >= 2
    assert sum(r.job == "fine" and r.status == "ok" for r in runs) >= 2
