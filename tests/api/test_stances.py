"""Stances over REST after ingesting the seeds, as a dashboard sees them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from service.db import stances
from service.db.pool import connection, transaction
from service.ingestion.batch import ingest_paths
from service.pipeline import scoring_config
from service.runtime import Runtime
from service.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"


def ingest_seed(rt: Runtime, name: str) -> None:
    report = ingest_paths(rt, [str(SEEDS / name)], principal="test")
    assert report.created == 1, report.failures


@pytest.fixture
def seeded(runtime: Runtime, client: FlaskClient, editor_headers) -> FlaskClient:  # type: ignore[no-untyped-def]
    """The 2022 seed, a re-score, then the 2023 seed and another re-score."""
    ingest_seed(runtime, "000_ca227d55daab0685.txt")
    assert client.post("/api/v1/jobs/rescore", headers=editor_headers).status_code == 200
    ingest_seed(runtime, "003_a4cd7cb0fdd8f0c6.txt")
    assert client.post("/api/v1/jobs/rescore", headers=editor_headers).status_code == 200
    return client


def cell(matrix: dict, actor: str, topic: str) -> dict:  # type: ignore[type-arg]
    return next(i for i in matrix["items"] if (i["actor"], i["topic"]) == (actor, topic))


def test_seed_stances_match_the_articles(seeded: FlaskClient) -> None:
    matrix = seeded.get("/api/v1/stances").json
    assert len(matrix["items"]) == 24  # 4 actors x 6 topics, no-signal where unknown
    assert cell(matrix, "france", "negotiated-settlement")["label"] == "supports"
    assert cell(matrix, "china", "negotiated-settlement")["label"] == "supports"
    assert cell(matrix, "russia", "negotiated-settlement")["label"] == "opposes"
    item = cell(matrix, "china", "negotiated-settlement")
    assert item["version"] >= 1 and item["method"] == "auto" and item["evidence_count"] >= 1


def test_history_shows_the_version_made_by_the_2023_article(seeded: FlaskClient) -> None:
    versions = seeded.get("/api/v1/stances/china/negotiated-settlement/history").json["items"]
    assert versions, "no version for China / negotiated settlement"
    assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
    assert versions[-1]["as_of"].startswith("2023-04-06")


def test_as_of_shows_the_matrix_before_the_2023_article(seeded: FlaskClient) -> None:
    before = seeded.get("/api/v1/stances", query_string={"as_of": "2022-12-31"}).json
    now = seeded.get("/api/v1/stances").json
    assert all(
        i["last_evidence_at"] is None or i["last_evidence_at"] < "2023" for i in before["items"]
    )
    russia = cell(before, "russia", "negotiated-settlement")
    assert russia["label"] == "no-signal"  # the Kremlin's words are in the 2023 article
    assert cell(now, "russia", "negotiated-settlement")["label"] == "opposes"


def test_stance_detail_has_weighted_evidence(seeded: FlaskClient) -> None:
    body = seeded.get("/api/v1/stances/france/negotiated-settlement").json
    assert body["label"] == "supports" and body["top_evidence"]
    top = body["top_evidence"][0]
    assert top["weight"] > 0 and top["quote"] and top["document_id"]
    weights = [e["weight"] * abs(e["polarity"]) for e in body["top_evidence"]]
    assert weights == sorted(weights, reverse=True)


def live_top_ids(runtime: Runtime, actor: str, topic: str) -> list[int]:
    """The top evidence ranked over all of the pair's evidence now, as a reference."""
    with connection(runtime.pool) as conn:
        rows = stances.top_evidence(
            conn,
            (actor, topic),
            as_of=datetime.now(UTC),
            config=scoring_config(runtime.settings),
            limit=runtime.settings.top_evidence,
        )
    return [r["id"] for r in rows]


def test_stance_detail_reads_the_top_evidence_kept_by_the_rescore(
    seeded: FlaskClient,
    runtime: Runtime,
    editor_headers,  # type: ignore[no-untyped-def]
) -> None:
    path = "/api/v1/stances/france/negotiated-settlement"
    shown = [e["id"] for e in seeded.get(path).json["top_evidence"]]
    assert shown and shown == live_top_ids(runtime, "france", "negotiated-settlement")
    with connection(runtime.pool) as conn:
        kept = conn.execute(
            "SELECT top_evidence_ids FROM stances"
            " WHERE actor_id = 'france' AND topic_id = 'negotiated-settlement'"
        ).fetchone()
    assert kept is not None and kept["top_evidence_ids"][: len(shown)] == shown
    # rejected evidence leaves the detail at once, before the pair is re-scored
    response = seeded.post(
        f"/api/v1/corrections/evidence/{shown[0]}",
        json={"action": "reject", "reason": "not France's position"},
        headers=editor_headers,
    )
    assert response.status_code == 200, response.json
    assert [e["id"] for e in seeded.get(path).json["top_evidence"]] == shown[1:]
    # the re-score the correction queued ranks the pair again, without it
    assert seeded.post("/api/v1/jobs/rescore", headers=editor_headers).status_code == 200
    after = [e["id"] for e in seeded.get(path).json["top_evidence"]]
    assert shown[0] not in after
    assert after == live_top_ids(runtime, "france", "negotiated-settlement")


def test_stance_detail_ranks_live_when_nothing_is_kept(
    seeded: FlaskClient, runtime: Runtime
) -> None:
    """Stances scored before migration 0004 have no kept ids until their next re-score."""
    with connection(runtime.pool) as conn:
        conn.execute("UPDATE stances SET top_evidence_ids = NULL")
    body = seeded.get("/api/v1/stances/russia/negotiated-settlement").json
    shown = [e["id"] for e in body["top_evidence"]]
    assert shown and shown == live_top_ids(runtime, "russia", "negotiated-settlement")


def test_unknown_pair_is_404(seeded: FlaskClient) -> None:
    for path in (
        "/api/v1/stances/atlantis/negotiated-settlement",
        "/api/v1/stances/france/atlantis/history",
        "/api/v1/stances/france/atlantis/timeline",
    ):
        response = seeded.get(path)
        assert response.status_code == 404 and response.is_json, path


def test_timeline_has_one_point_per_interval(seeded: FlaskClient) -> None:
    body = seeded.get(
        "/api/v1/stances/china/negotiated-settlement/timeline",
        query_string={"interval": "month", "since": "2022-10-01", "until": "2023-05-31"},
    ).json
    points = body["items"]
    assert len(points) == 8
    assert points[0]["label"] == "no-signal" or points[0]["evidence_count"] == 0
    assert points[-1]["label"] == "supports"
    bad = seeded.get(
        "/api/v1/stances/china/negotiated-settlement/timeline",
        query_string={"interval": "day", "since": "1990-01-01"},
    )
    assert bad.status_code == 422


def test_changes_since(seeded: FlaskClient) -> None:
    changes = seeded.get("/api/v1/changes", query_string={"since": "2000-01-01"}).json["items"]
    assert changes and [c["id"] for c in changes] == sorted(
        (c["id"] for c in changes), reverse=True
    )
    future = seeded.get("/api/v1/changes", query_string={"since": "2999-01-01"})
    assert future.status_code == 422 or future.json["items"] == []
    assert seeded.get("/api/v1/changes").status_code == 422  # since is required


def test_csv_and_etags(seeded: FlaskClient) -> None:
    response = seeded.get("/api/v1/stances", query_string={"format": "csv"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 24 and {"actor_id", "label", "score"} <= set(rows[0])
    by_accept = seeded.get(
        "/api/v1/stances/china/negotiated-settlement/history", headers={"Accept": "text/csv"}
    )
    assert by_accept.mimetype == "text/csv"
    timeline = seeded.get("/api/v1/stances/china/negotiated-settlement/timeline?format=csv")
    assert timeline.get_data(as_text=True).startswith("bucket_start,")
    first = seeded.get("/api/v1/stances")
    etag = first.headers["ETag"]
    again = seeded.get("/api/v1/stances", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_jobs_list_runs_and_next_times(seeded: FlaskClient) -> None:
    body = seeded.get("/api/v1/jobs").json
    assert [r["job"] for r in body["items"]][:2] == ["rescore", "rescore"]
    assert all(r["status"] == "ok" for r in body["items"])
    assert {"rescore", "rescore-full", "reextract"} <= set(body["next_run_times"])


def test_rescore_requires_a_token(client: FlaskClient, token_factory) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/v1/jobs/rescore").status_code == 401
    reader = {"Authorization": f"Bearer {token_factory('reader')}"}
    assert client.post("/api/v1/jobs/rescore", headers=reader).status_code == 403


def test_evidence_as_csv_pages_with_a_header_cursor(seeded: FlaskClient) -> None:
    response = seeded.get("/api/v1/evidence", query_string={"format": "csv", "limit": 3})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3 and rows[0]["quote"] and rows[0]["actor_id"]
    cursor = response.headers["X-Next-Cursor"]
    more = seeded.get("/api/v1/evidence", query_string={"format": "csv", "cursor": cursor})
    later = list(csv.DictReader(io.StringIO(more.get_data(as_text=True))))
    assert later and {r["id"] for r in later}.isdisjoint({r["id"] for r in rows})


def test_matrix_body_is_reused_but_never_stale(seeded: FlaskClient, editor_headers) -> None:  # type: ignore[no-untyped-def]
    """The matrix's JSON is made once per content (api/memo.py): a write shows at once."""
    first = seeded.get("/api/v1/stances")
    again = seeded.get("/api/v1/stances")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    cached = seeded.get("/api/v1/stances", headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304
    before = cell(first.json, "russia", "negotiated-settlement")
    pinned = seeded.put(
        "/api/v1/corrections/stances/russia/negotiated-settlement",
        json={"score": 0.5, "label": "mixed", "note": "talks resumed"},
        headers={**editor_headers, "If-Match": str(before["version"])},
    )
    assert pinned.status_code == 200, pinned.json
    after = seeded.get("/api/v1/stances", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert cell(after.json, "russia", "negotiated-settlement")["label"] == "mixed"
    filtered = seeded.get("/api/v1/stances", query_string={"actor": "russia"}).json
    assert {i["actor"] for i in filtered["items"]} == {"russia"}


def test_matrix_follows_every_change_to_stances(seeded: FlaskClient, runtime: Runtime) -> None:
    """The current matrix is kept per revision, which any write to stances bumps
    (a trigger, migration 0006), whoever makes it."""
    first = seeded.get("/api/v1/stances")
    assert cell(first.json, "france", "negotiated-settlement")["label"] == "supports"
    with connection(runtime.pool) as conn:
        before = stances.stances_revision(conn)
    with transaction(runtime.pool) as conn:
        conn.execute(
            "UPDATE stances SET label = 'mixed', score = 0"
            " WHERE actor_id = 'france' AND topic_id = 'negotiated-settlement'"
        )
    with connection(runtime.pool) as conn:
        assert stances.stances_revision(conn) > before
    after = seeded.get("/api/v1/stances")
    assert after.headers["ETag"] != first.headers["ETag"]
    assert cell(after.json, "france", "negotiated-settlement")["label"] == "mixed"
    france = seeded.get("/api/v1/stances", query_string={"actor": "france"}).json
    assert cell(france, "france", "negotiated-settlement")["label"] == "mixed"
