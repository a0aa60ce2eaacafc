"""Re-scoring on real PostgreSQL: versions, pins of history, as-of, concurrency."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from service import pipeline
from service.db import stances
from service.db.pool import connection, transaction
from service.extraction import Evidence, Lexicon
from service.ingestion.schema import NewDocument
from service.runtime import Runtime
from service.scoring import ScoringConfig, WeightedEvidence, score_stance

PAIR = ("china", "negotiated-settlement")


def fixed(items: list[tuple[str, str, float]]) -> Callable[[str, date, Lexicon], list[Evidence]]:
    """An extractor that finds exactly the given (actor, topic, polarity) items."""

    def extractor(text: str, day: date, lexicon: Lexicon) -> list[Evidence]:
        return [
            Evidence(
                actor_id=a,
                topic_id=t,
                polarity=p,
                strength=0.9,
                confidence=0.8,
                sentence_index=i,
                char_start=i,
                char_end=i + 1,
                quote=text[i],
                speaker=None,
                cue_ids=("test",),
            )
            for i, (a, t, p) in enumerate(items)
        ]

    return extractor


def add(rt: Runtime, day: str, items: list[tuple[str, str, float]], text: str = "") -> int:
    new = NewDocument(
        title=f"doc {day} {text}",
        text=(text or day) + " " + "x" * 40,
        published_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
    )
    result = pipeline.ingest_document(
        rt.pool, rt.lexicon, new, principal="test", max_text_chars=10_000, extractor=fixed(items)
    )
    return result.document.id


def history(rt: Runtime, pair: tuple[str, str] = PAIR) -> list[stances.StanceVersion]:
    with connection(rt.pool) as conn:
        return stances.list_versions(conn, pair)


def current(rt: Runtime, pair: tuple[str, str] = PAIR) -> dict:  # type: ignore[type-arg]
    with connection(rt.pool) as conn:
        return stances.list_stances(conn, actor=pair[0], topic=pair[1])[0]


def test_incremental_rescore_scores_only_due_pairs_and_versions_changes(runtime: Runtime) -> None:
    add(runtime, "2023-01-10", [(*PAIR, 1.0), ("russia", "nuclear-restraint", -1.0)])
    first = pipeline.rescore(runtime.pool, runtime.settings)
    assert first["pairs"] == 2 and first["versions"] == 2
    assert pipeline.rescore(runtime.pool, runtime.settings)["pairs"] == 0  # queue drained
    assert current(runtime)["label"] == "supports"
    add(runtime, "2023-02-10", [(*PAIR, -1.0), (*PAIR, -1.0)], text="turn")
    pipeline.rescore(runtime.pool, runtime.settings)
    versions = history(runtime)
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].previous_version == 1 and versions[1].label in {"opposes", "mixed"}
    assert versions[1].as_of.date().isoformat() == "2023-02-10"
    assert current(runtime)["version"] == 2


def test_no_version_when_nothing_moved_beyond_epsilon(runtime: Runtime) -> None:
    add(runtime, "2023-01-10", [(*PAIR, 1.0)])
    pipeline.rescore(runtime.pool, runtime.settings)
    pipeline.rescore(runtime.pool, runtime.settings, full=True)
    assert len(history(runtime)) == 1
    # the same position again, a second later, moves the confidence only a little
    big = runtime.settings.with_(version_epsilon=0.9)
    add(runtime, "2023-01-10", [(*PAIR, 1.0)], text="again")
    assert pipeline.rescore(runtime.pool, big)["versions"] == 0
    assert len(history(runtime)) == 1


def test_as_of_uses_only_evidence_published_by_then(runtime: Runtime, client) -> None:  # type: ignore[no-untyped-def]
    add(runtime, "2022-11-15", [(*PAIR, 1.0)])
    add(runtime, "2023-04-06", [(*PAIR, -1.0), (*PAIR, -1.0), (*PAIR, -1.0)], text="later")
    before = client.get(
        "/api/v1/stances", query_string={"as_of": "2022-12-31", "actor": "china"}
    ).json
    cell = next(i for i in before["items"] if i["topic"] == PAIR[1])
    assert (cell["label"], cell["evidence_count"]) == ("supports", 1)
    after = client.get(
        "/api/v1/stances", query_string={"as_of": "2023-04-06", "actor": "china"}
    ).json
    cell = next(i for i in after["items"] if i["topic"] == PAIR[1])
    assert cell["evidence_count"] == 4 and cell["label"] == "opposes"


def test_sql_formula_agrees_with_the_python_reference(runtime: Runtime) -> None:
    rng = random.Random(7)
    config = pipeline.scoring_config(runtime.settings)
    for trial in range(5):
        items = [(*PAIR, rng.choice([1.0, -1.0, 0.5, -0.5])) for _ in range(rng.randint(1, 6))]
        add(
            runtime,
            f"202{trial}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            items,
            text=f"trial {trial}",
        )
    as_of = datetime(2025, 6, 1, tzinfo=UTC)
    with connection(runtime.pool) as conn:
        sql_result = stances.score_pairs(conn, [PAIR], as_of=as_of, config=config)[0]
        rows = conn.execute(
            "SELECT id, polarity, strength, confidence, source_weight, published_at"
            " FROM evidence WHERE actor_id = %s AND topic_id = %s AND NOT rejected",
            PAIR,
        ).fetchall()
    reference = score_stance([WeightedEvidence(**r) for r in rows], as_of, config)
    assert sql_result.label == reference.label
    assert abs(sql_result.score - reference.score) < 1e-6
    assert abs(sql_result.confidence - reference.confidence) < 1e-6
    assert sql_result.evidence_count == reference.evidence_count
    with transaction(runtime.pool) as conn:
        stances.write_scored(
            conn,
            [sql_result],
            as_of=as_of,
            config=config,
            epsilon=0.0,
            reason="test",
            scorer_version="test",
        )
    assert tuple(history(runtime)[-1].top_evidence_ids) == reference.top_evidence_ids


def test_two_concurrent_rescores_write_one_consistent_history(runtime: Runtime) -> None:
    """Two processes re-score the same pairs at once, many times: versions stay
    gapless and unique (the stance writers' advisory lock serialises them)."""
    for i in range(6):
        add(runtime, f"2023-0{i + 1}-01", [(*PAIR, 1.0 if i % 2 else -1.0)], text=f"n{i}")
    code = (
        "import sys\n"
        "from service.settings import load_settings\n"
        "from service.runtime import open_runtime\n"
        "from service import pipeline\n"
        "s = load_settings(env={},\n"
        "    overrides={'database_url': sys.argv[1], 'version_epsilon': 0.0})\n"
        "rt = open_runtime(s, sys.argv[1])\n"
        "for _ in range(15):\n"
        "    pipeline.rescore(rt.pool, s, full=True)\n"
        "rt.close()\n"
    )
    url = runtime.database_url
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=180)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with connection(runtime.pool) as conn:
        rows = conn.execute(
            "SELECT actor_id, topic_id, array_agg(version ORDER BY id) AS versions,"
            " array_agg(previous_version ORDER BY id) AS previous"
            " FROM stance_versions GROUP BY 1, 2"
        ).fetchall()
    assert rows
    for row in rows:
        assert row["versions"] == list(range(1, len(row["versions"]) + 1))
        assert row["previous"] == [None, *row["versions"][:-1]]


def test_full_rescore_applies_decay_without_new_evidence(runtime: Runtime) -> None:
    add(runtime, "2023-01-01", [(*PAIR, 1.0)])
    pipeline.rescore(runtime.pool, runtime.settings)
    before = current(runtime)["auto_confidence"]
    with transaction(runtime.pool) as conn:  # pretend the evidence is a year older
        conn.execute("UPDATE evidence SET published_at = published_at - interval '365 days'")
    pipeline.rescore(runtime.pool, runtime.settings, full=True)
    assert current(runtime)["auto_confidence"] < before


def test_config_defaults_match_settings(runtime: Runtime) -> None:
    config = pipeline.scoring_config(runtime.settings)
    assert config == ScoringConfig(
        half_life_days=180,
        label_threshold=0.25,
        mixed_minority_share=0.3,
        min_weight=0.05,
        confidence_scale=1.5,
        top_evidence=5,
    )
    assert timedelta(days=config.half_life_days).days == 180
