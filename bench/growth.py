"""How ingestion, full re-score and read costs grow with the amount of evidence.

    .venv/bin/python bench/growth.py [--sizes 10000,100000,1000000] [--articles 100]

For each size, on a fresh scratch database filled in SQL (bench/fill.py: ten evidence
rows per document, ~500-character documents, 4 actors x 6 topics) and fully re-scored
once, it times, in this process:
  - baseline: SELECT count(*), avg(polarity) FROM evidence (one scan of the table);
  - ingestion: pipeline.ingest_document (what `demarche ingest` calls per record) of
    --articles new synthetic ~4,000-character articles (bench/corpus.py), as articles/s;
  - full re-score of every pair (pipeline.rescore(full=True)), median of three;
  - reads through the Flask app (test client, no HTTP): GET /api/v1/stances,
    GET /api/v1/stances/china/negotiated-settlement and GET /api/v1/documents/{id},
    medians of 20.
It prints the costs, then each cost at each size as a multiple of its cost at the
first size, beside the growth of the data itself."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus
from bench.common import scratch_database, timed
from bench.fill import fill, rescore_all
from service import pipeline
from service.app import create_app
from service.db.pool import transaction
from service.ingestion.schema import parse_document
from service.runtime import open_runtime
from service.settings import load_settings

DETAIL = "/api/v1/stances/china/negotiated-settlement"


def median_ms(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_size(rows: int, articles: int) -> dict[str, float]:
    documents = rows // 10
    new_docs = [parse_document(a) for a in corpus.articles(articles + 1, seed=7, start=10**7)]
    with scratch_database() as url:
        start = time.perf_counter()
        fill(url, documents)
        fill_s = time.perf_counter() - start
        rescore_all(url)  # stances exist, as in steady state
        settings = load_settings(env={}, overrides={"database_url": url, "load_seeds": False})
        rt = open_runtime(settings, url)
        try:

            def scan() -> None:
                with transaction(rt.pool) as conn:
                    conn.execute("SELECT count(*), avg(polarity) FROM evidence").fetchone()

            def ingest_one(doc: object) -> None:
                pipeline.ingest_document(
                    rt.pool,
                    rt.lexicon,
                    doc,  # type: ignore[arg-type]
                    principal="bench",
                    max_text_chars=settings.max_text_chars,
                )

            ingest_one(new_docs[0])  # the first call imports datasketch: not timed
            start = time.perf_counter()
            for doc in new_docs[1:]:
                ingest_one(doc)
            ingest_s = time.perf_counter() - start

            app = create_app(settings, runtime=rt)
            client = app.test_client()
            rng = random.Random(5)

            def get(path: Callable[[], str]) -> Callable[[], None]:
                def call() -> None:
                    response = client.get(path())
                    assert response.status_code == 200, response.status_code

                return call

            return {
                "fill": fill_s,
                "scan": timed(scan) * 1000,
                "ingest": articles / ingest_s,
                "full": timed(lambda: pipeline.rescore(rt.pool, settings, full=True)) * 1000,
                "matrix": median_ms(get(lambda: "/api/v1/stances"), 20),
                "detail": median_ms(get(lambda: DETAIL), 20),
                "document": median_ms(
                    get(lambda: f"/api/v1/documents/{rng.randint(1, documents)}"), 20
                ),
            }
        finally:
            rt.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: list[tuple[int, dict[str, float]]] = []
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    print()
    print(
        "| evidence rows | documents | scan baseline | ingest | full re-score "
        "| re-score per evidence row | matrix read | stance detail read | document read |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows in sizes:
        r = bench_size(rows, args.articles)
        results.append((rows, r))
        print(
            f"| {rows:,} | {rows // 10:,} | {r['scan']:.1f} ms | {r['ingest']:.0f} articles/s "
            f"| {r['full']:.0f} ms | {r['full'] * 1000 / rows:.2f} µs | {r['matrix']:.2f} ms "
            f"| {r['detail']:.2f} ms | {r['document']:.2f} ms |",
            flush=True,
        )
    first_rows, first = results[0]
    print()
    print(
        f"Growth against {first_rows:,} evidence rows (1 = no growth; time per article for ingest):"
    )
    print()
    print(
        "| evidence rows | data | scan baseline | ingest time per article | full re-score "
        "| matrix read | stance detail read | document read |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows, r in results:
        print(
            f"| {rows:,} | {rows / first_rows:.0f}x | {r['scan'] / first['scan']:.1f}x "
            f"| {first['ingest'] / r['ingest']:.2f}x | {r['full'] / first['full']:.1f}x "
            f"| {r['matrix'] / first['matrix']:.2f}x | {r['detail'] / first['detail']:.1f}x "
            f"| {r['document'] / first['document']:.2f}x |"
        )
    print()
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
