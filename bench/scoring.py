"""Re-scoring cost against a plain scan of the same rows, measured in one run.

    .venv/bin/python bench/scoring.py [--sizes 10000,100000,1000000]

For each size it fills `evidence` with synthetic rows (4 actors x 6 topics,
10 evidence per document, dates over three years), then times, each as the
median of three runs:
  - baseline: SELECT count(*), avg(polarity) FROM evidence  (one scan)
  - full re-score of every pair (pipeline.rescore(full=True))
  - incremental re-score after one new document (pipeline.rescore)
  - GET /api/v1/stances through the Flask app (in process)
and prints each beside the baseline as a ratio."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import scratch_database, timed
from service import pipeline
from service.app import create_app
from service.db.pool import transaction
from service.runtime import open_runtime
from service.settings import load_settings

FILL = """
INSERT INTO documents (content_hash, title, published_at, text, lexicon_version,
                       extractor_version)
SELECT md5(g::text) || md5((g * 7)::text), 'doc ' || g,
       timestamptz '2021-01-01' + (g %% 1095) * interval '1 day', 'synthetic text', 'bench', 'bench'
FROM generate_series(1, %(documents)s) AS g;

INSERT INTO evidence (document_id, machine_actor_id, machine_topic_id, machine_polarity,
                      actor_id, topic_id, polarity, strength, confidence, sentence_index,
                      char_start, char_end, quote, cue_ids, extractor_version, lexicon_version,
                      published_at)
SELECT d.id, a.actor, t.topic, p.pol, a.actor, t.topic, p.pol, 0.5 + (k %% 5) / 10.0,
       0.6 + (k %% 4) / 10.0, k, k * 10, k * 10 + 9, 'synthetic quote', '{bench}', 'bench',
       'bench', d.published_at
FROM documents d
CROSS JOIN generate_series(0, 9) AS k
CROSS JOIN LATERAL (SELECT (ARRAY['france','china','russia','ukraine'])[1 + (d.id + k) %% 4]
                    AS actor) a
CROSS JOIN LATERAL (SELECT (ARRAY['negotiated-settlement','russia-accountability',
    'ukraine-sovereignty','military-aid-ukraine','nuclear-restraint','china-mediation'])
    [1 + (d.id * 3 + k) %% 6] AS topic) t
CROSS JOIN LATERAL (SELECT CASE WHEN (d.id + k) %% 3 = 0 THEN -1.0 ELSE 1.0 END AS pol) p;
"""


def bench_size(rows: int) -> dict[str, float]:
    with scratch_database() as url:
        settings = load_settings(env={}, overrides={"database_url": url, "load_seeds": False})
        rt = open_runtime(settings, url)
        try:
            with transaction(rt.pool) as conn:
                for statement in FILL.split(";\n")[:2]:
                    conn.execute(statement, {"documents": rows // 10})  # type: ignore[call-overload]
            with psycopg.connect(url, autocommit=True) as conn:  # as autovacuum would
                conn.execute("VACUUM ANALYZE documents")
                conn.execute("VACUUM ANALYZE evidence")

            def baseline() -> None:
                with transaction(rt.pool) as conn:
                    conn.execute("SELECT count(*), avg(polarity) FROM evidence").fetchone()

            def full() -> None:
                pipeline.rescore(rt.pool, settings, full=True)

            def incremental() -> None:
                with transaction(rt.pool) as conn:
                    conn.execute(
                        "INSERT INTO stance_queue (actor_id, topic_id)"
                        " VALUES ('china', 'negotiated-settlement') ON CONFLICT DO NOTHING"
                    )
                pipeline.rescore(rt.pool, settings)

            app = create_app(settings, runtime=rt)
            client = app.test_client()

            def matrix() -> None:
                response = client.get("/api/v1/stances")
                assert response.status_code == 200

            full()  # first full re-score creates the stances; time the steady state
            return {
                "baseline": timed(baseline),
                "full": timed(full),
                "incremental": timed(incremental, repeat=5),
                "matrix": timed(matrix, repeat=20),
            }
        finally:
            rt.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print("| evidence rows | baseline scan | full re-score | ratio | incremental | matrix read |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows in sizes:
        r = bench_size(rows)
        print(
            f"| {rows:,} | {r['baseline'] * 1000:.1f} ms | {r['full'] * 1000:.1f} ms "
            f"| {r['full'] / r['baseline']:.2f}x | {r['incremental'] * 1000:.1f} ms "
            f"| {r['matrix'] * 1000:.1f} ms |",
            flush=True,
        )


if __name__ == "__main__":
    main()
