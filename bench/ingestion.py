"""Ingestion throughput against a COPY of the same rows, measured in one run.

    .venv/bin/python bench/ingestion.py [--articles 2000] [--api-articles 600]
                                        [--threads 4,8] [--workers 2] [--profile 0]

On a scratch database (bench/common.py) it times:
  - baseline: psycopg `cursor.copy` of the batch's rows (title, text, published_at, url,
    source, language) into a bare table with no index: the floor for moving the bytes;
  - `demarche ingest batch.jsonl`: the real CLI as a subprocess (DATABASE_URL set), the
    process start-up included (and its worker processes': ingest_processes); a run on an
    empty file gives the CLI's start-up alone;
  - concurrent `POST /api/v1/documents` against `demarche serve` (gunicorn, --workers,
    scheduler off) from N client threads with keep-alive connections and an editor token
    from `demarche tokens create`; other articles than the batch (all are new);
  - extraction alone (service.extraction.extract, in this process) on the batch, for
    reference: the part of the cost that is CPU in Python whatever the database does.
Articles are synthetic, ~4,000 characters, built from the seed articles (bench/corpus.py).
With --profile N, N articles are also ingested in process through the CLI's batch path
under cProfile and the main process's top functions by own time are printed. Everything
runs on this machine: the client threads share its cores with the server and PostgreSQL."""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench import corpus
from bench.common import scratch_database
from bench.serving import BIN, ROOT, demarche, demarche_env, demarche_server
from service.extraction import extract, load_lexicon
from service.settings import PROJECT_ROOT

COLUMNS = ("title", "text", "published_at", "url", "source", "language")
BARE = """CREATE TABLE bench_bare (title text, text text, published_at timestamptz,
                                   url text, source text, language text)"""
RUN_LIMIT_S = 300.0


def copy_baseline(url: str, rows: list[dict[str, Any]], repeat: int = 3) -> float:
    """Median seconds to COPY the rows into a bare table (each run on an empty table)."""
    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(BARE)
        for _ in range(repeat):
            conn.execute("TRUNCATE bench_bare")
            start = time.perf_counter()
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(f"COPY bench_bare ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in COLUMNS])
            times.append(time.perf_counter() - start)
        conn.execute("DROP TABLE bench_bare")
    return sorted(times)[len(times) // 2]


def run_cli(url: str, path: Path, **env: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "demarche"), "ingest", str(path)],
        env=demarche_env(url, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_LIMIT_S,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"demarche ingest failed: {done.stderr[-2000:]}")
    return wall, done.stdout.strip()


def post_concurrently(
    base: str, token: str, rows: list[dict[str, Any]], threads: int
) -> tuple[float, dict[int, int]]:
    """POST every row from ``threads`` threads (keep-alive); wall time and status counts."""
    host, port = base.removeprefix("http://").split(":")
    bodies = [json.dumps(r).encode() for r in rows]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    next_index = iter(range(len(bodies)))
    deadline = time.monotonic() + RUN_LIMIT_S

    def client() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            while time.monotonic() < deadline:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                conn.request("POST", "/api/v1/documents", body=bodies[i], headers=headers)
                response = conn.getresponse()
                response.read()
                with lock:
                    statuses[response.status] = statuses.get(response.status, 0) + 1
        finally:
            conn.close()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=RUN_LIMIT_S + 60)
    return time.perf_counter() - start, statuses


def extraction_only(rows: list[dict[str, Any]]) -> float:
    lexicon = load_lexicon(PROJECT_ROOT / "config")
    start = time.perf_counter()
    for row in rows:
        extract(row["text"], date.fromisoformat(row["published_at"]), lexicon)
    return time.perf_counter() - start


def signatures_only(rows: list[dict[str, Any]]) -> float:
    from service.ingestion import dedup
    from service.ingestion.normalize import normalize_text

    dedup.signature(rows[0]["text"])  # imports datasketch
    start = time.perf_counter()
    for row in rows:
        dedup.signature(normalize_text(row["text"]))
    return time.perf_counter() - start


def profile_in_process(url: str, rows: list[dict[str, Any]], folder: Path) -> str:
    """cProfile of the CLI's batch path (service.ingestion.batch.ingest_paths, worker
    processes and grouped writes) on ``rows``, in this process: the main process's
    own time (the workers' is not in it; see the extract()/signature() rows)."""
    from service.ingestion.batch import ingest_paths
    from service.runtime import open_runtime
    from service.settings import load_settings

    settings = load_settings(env={}, overrides={"database_url": url, "load_seeds": False})
    rt = open_runtime(settings, url)
    path = folder / "profile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        report = ingest_paths(rt, [str(path)], principal="bench")
        profiler.disable()
    finally:
        rt.close()
    out = io.StringIO()
    out.write(report.summary() + "\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(30)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="batch for demarche ingest")
    parser.add_argument("--api-articles", type=int, default=600, help="per thread count")
    parser.add_argument("--threads", default="4,8")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, help="articles to profile in process")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]

    with tempfile.TemporaryDirectory(prefix="demarche-bench-") as tmp:
        batch = Path(tmp) / "batch.jsonl"
        rows = corpus.write_jsonl(batch, args.articles, seed=1)
        empty = Path(tmp) / "empty.jsonl"
        empty.write_text("")
        api_rows = list(
            corpus.articles(args.api_articles * len(thread_counts), seed=2, start=args.articles)
        )
        profile_rows = list(corpus.articles(args.profile, seed=3, start=10**6))
        mean_chars = sum(len(r["text"]) for r in rows) / len(rows)
        print(f"{len(rows)} articles, {mean_chars:,.0f} characters on average", flush=True)

        with scratch_database() as url:
            baseline = copy_baseline(url, rows)
            base_rate = len(rows) / baseline
            results: list[tuple[str, int, float, str]] = []

            startup, _ = run_cli(url, empty)
            wall, summary = run_cli(url, batch)
            print(f"demarche ingest: {summary}", flush=True)
            results.append(("`demarche ingest` (JSONL)", len(rows), wall, summary))
            results.append(("  the same, less CLI start-up", len(rows), wall - startup, ""))
            # diagnostic only: how much of the time is waiting for each commit's WAL flush
            async_rows = list(corpus.articles(args.articles // 4, seed=4, start=10**5))
            async_batch = Path(tmp) / "async.jsonl"
            async_batch.write_text("".join(json.dumps(r) + "\n" for r in async_rows))
            wall, _ = run_cli(url, async_batch, PGOPTIONS="-c synchronous_commit=off")
            results.append(
                (
                    "  diagnostic: the same with synchronous_commit=off (PGOPTIONS)",
                    len(async_rows),
                    wall - startup,
                    "",
                )
            )

            token = demarche(["tokens", "create", "--name", "bench", "--role", "editor"], url)
            token = token.strip().splitlines()[0]
            with demarche_server(url, workers=args.workers) as (base, _pid):
                for k, threads in enumerate(thread_counts):
                    chunk = api_rows[k * args.api_articles : (k + 1) * args.api_articles]
                    wall_api, statuses = post_concurrently(base, token, chunk, threads)
                    print(f"POST x{threads} threads: statuses {statuses}", flush=True)
                    results.append(
                        (
                            f"`POST /api/v1/documents`, {threads} client threads, "
                            f"{args.workers} workers",
                            statuses.get(201, 0),
                            wall_api,
                            str(statuses),
                        )
                    )
            with psycopg.connect(url) as conn:
                counts = conn.execute(
                    "SELECT (SELECT count(*) FROM documents),"
                    " (SELECT count(*) FROM documents WHERE status = 'near-duplicate'),"
                    " (SELECT count(*) FROM evidence)"
                ).fetchone()
            print(f"stored documents, near-duplicates, evidence: {counts}", flush=True)
            profile = profile_in_process(url, profile_rows, Path(tmp)) if args.profile else ""

        extraction = extraction_only(rows)
        signatures = signatures_only(rows)

    print()
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    print(f"CLI start-up alone (`demarche ingest` of an empty file): {startup:.2f} s")
    print()
    print("| path | articles | wall | articles/s | time per article | x baseline time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| baseline: COPY into a bare table | {len(rows):,} | {baseline:.3f} s "
        f"| {base_rate:,.0f} | {baseline / len(rows) * 1000:.2f} ms | 1 |"
    )
    for name, n, seconds, _ in results:
        rate = n / seconds
        print(
            f"| {name} | {n:,} | {seconds:.1f} s | {rate:,.0f} | {seconds / n * 1000:.2f} ms "
            f"| {base_rate / rate:,.0f} |"
        )
    rate = len(rows) / extraction
    print(
        f"| reference: extract() alone, in process | {len(rows):,} | {extraction:.1f} s "
        f"| {rate:,.0f} | {extraction / len(rows) * 1000:.2f} ms | {base_rate / rate:,.0f} |"
    )
    rate = len(rows) / signatures
    print(
        f"| reference: dedup.signature() alone, in process | {len(rows):,} | {signatures:.1f} s "
        f"| {rate:,.0f} | {signatures / len(rows) * 1000:.2f} ms | {base_rate / rate:,.0f} |"
    )
    if profile:
        print()
        print(f"cProfile of the batch path (ingest_paths), {args.profile} articles in process:")
        print(profile)


if __name__ == "__main__":
    main()
