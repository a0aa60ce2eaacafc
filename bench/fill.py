"""Fill a scratch database with synthetic documents and evidence in SQL (generate_series),
as bench/scoring.py does, but with real-ish text: each document has ~400-600 characters
made of three sentences of the seed articles, and each evidence quote is a span of it.
Every one of the 24 actor x topic pairs gets evidence (about 1/24 of the rows each)."""

from __future__ import annotations

import psycopg

from bench.corpus import seed_sentences
from service.pipeline import rescore
from service.runtime import open_runtime
from service.settings import load_settings

DOCUMENTS = """
INSERT INTO documents (content_hash, title, published_at, text, lexicon_version,
                       extractor_version, source, language, url)
SELECT md5(g::text) || md5((g * 7)::text), 'Synthetic article ' || g,
       timestamptz '2021-01-01' + (g %% 1095) * interval '1 day' + (g %% 86400) * interval '1 s',
       s[1 + g %% n] || ' ' || s[1 + (g * 7) %% n] || ' ' || s[1 + (g * 13) %% n]
         || ' (item ' || g || ')',
       'bench', 'bench', 'Bench wire', 'en', 'https://news.example.org/fill/' || g
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g,
     LATERAL (SELECT %(sentences)s::text[] AS s, cardinality(%(sentences)s::text[]) AS n) c
"""

EVIDENCE = """
INSERT INTO evidence (document_id, machine_actor_id, machine_topic_id, machine_polarity,
                      actor_id, topic_id, polarity, strength, confidence, sentence_index,
                      char_start, char_end, quote, cue_ids, extractor_version, lexicon_version,
                      published_at)
SELECT d.id, a.actor, t.topic, p.pol, a.actor, t.topic, p.pol, 0.5 + (k %% 5) / 10.0,
       0.6 + (k %% 4) / 10.0, k, k * 20, k * 20 + 60, substr(d.text, 1 + k * 20, 60),
       '{bench}', 'bench', 'bench', d.published_at
FROM documents d
CROSS JOIN generate_series(0, 9) AS k
CROSS JOIN LATERAL (SELECT (ARRAY['france','china','russia','ukraine'])[1 + (d.id + k) %% 4]
                    AS actor) a
CROSS JOIN LATERAL (SELECT (ARRAY['negotiated-settlement','russia-accountability',
    'ukraine-sovereignty','military-aid-ukraine','nuclear-restraint','china-mediation'])
    [1 + (d.id / 4 + k * 5) %% 6] AS topic) t
CROSS JOIN LATERAL (SELECT CASE WHEN (d.id + k) %% 3 = 0 THEN -1.0 ELSE 1.0 END AS pol) p
WHERE d.id BETWEEN %(first)s::bigint AND %(last)s::bigint
"""


def fill(url: str, documents: int, first: int = 1) -> None:
    """Documents ``first..first+documents-1`` (ids match on an empty table), ten evidence
    rows each, then VACUUM ANALYZE as autovacuum would."""
    sentences = [s for s in seed_sentences() if len(s) >= 120] or seed_sentences()
    params = {"first": first, "last": first + documents - 1, "sentences": sentences}
    with psycopg.connect(url) as conn:
        conn.execute(DOCUMENTS, params)  # type: ignore[arg-type]
        conn.execute(EVIDENCE, params)  # type: ignore[arg-type]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE documents")
        conn.execute("VACUUM ANALYZE evidence")


def rescore_all(url: str) -> dict[str, int]:
    """A full re-score, so every pair has a stance (as after the nightly job)."""
    settings = load_settings(env={}, overrides={"database_url": url, "load_seeds": False})
    rt = open_runtime(settings, url)
    try:
        return rescore(rt.pool, settings, full=True)
    finally:
        rt.close()
