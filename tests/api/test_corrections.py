"""Corrections over REST: reject/amend/restore evidence, pin/release stances, audit."""

from __future__ import annotations

from flask.testing import FlaskClient

from service import pipeline
from service.runtime import Runtime

ARTICLE = {
    "title": "Kremlin on talks",
    "text": "The Kremlin said Russia rejects peace talks with Kyiv. "
    "French President Emmanuel Macron called for peace talks.",
    "published_at": "2023-05-02",
}


def setup_stances(client: FlaskClient, rt: Runtime, headers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    doc = client.post("/api/v1/documents", json=ARTICLE, headers=headers).json
    pipeline.rescore(rt.pool, rt.settings)
    return doc


def stance(client: FlaskClient, actor: str, topic: str) -> dict:  # type: ignore[type-arg]
    return client.get(f"/api/v1/stances/{actor}/{topic}").json


def test_reject_evidence_changes_the_stance_after_rescore(
    client: FlaskClient, runtime: Runtime, editor_headers
) -> None:  # type: ignore[no-untyped-def]
    doc = setup_stances(client, runtime, editor_headers)
    russia = next(e for e in doc["evidence"] if e["actor"] == "russia")
    assert stance(client, "russia", russia["topic"])["label"] == "opposes"
    response = client.post(
        f"/api/v1/corrections/evidence/{russia['id']}",
        json={"action": "reject", "reason": "a journalist's paraphrase"},
        headers=editor_headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["rejected"] is True and response.json["correction_id"]
    pipeline.rescore(runtime.pool, runtime.settings)
    after = stance(client, "russia", russia["topic"])
    assert after["label"] == "no-signal"
    history = client.get(f"/api/v1/stances/russia/{russia['topic']}/history").json["items"]
    assert [v["label"] for v in history] == ["opposes", "no-signal"]
    audit = client.get("/api/v1/audit", headers=editor_headers).json["items"]
    assert audit[0]["action"] == "evidence.reject"
    assert audit[0]["before"]["rejected"] is False and audit[0]["after"]["rejected"] is True
    assert audit[0]["reason"] == "a journalist's paraphrase"
    assert audit[0]["principal"].startswith("token:")


def test_amend_moves_evidence_to_another_pair_and_restore_undoes_it(
    client: FlaskClient,
    runtime: Runtime,
    editor_headers,  # type: ignore[no-untyped-def]
) -> None:
    doc = setup_stances(client, runtime, editor_headers)
    item = next(e for e in doc["evidence"] if e["actor"] == "france")
    amended = client.post(
        f"/api/v1/corrections/evidence/{item['id']}",
        json={
            "action": "amend",
            "actor": "ukraine",
            "polarity": -1,
            "reason": "the quote is Kyiv's",
        },
        headers=editor_headers,
    ).json
    assert (amended["actor"], amended["polarity"], amended["machine_actor"]) == (
        "ukraine",
        -1.0,
        "france",
    )
    pipeline.rescore(runtime.pool, runtime.settings)
    assert stance(client, "ukraine", item["topic"])["label"] == "opposes"
    assert stance(client, "france", item["topic"])["label"] == "no-signal"
    restored = client.post(
        f"/api/v1/corrections/evidence/{item['id']}",
        json={"action": "restore", "reason": "on reflection"},
        headers=editor_headers,
    ).json
    assert (restored["actor"], restored["correction_id"]) == ("france", None)
    pipeline.rescore(runtime.pool, runtime.settings)
    assert stance(client, "france", item["topic"])["label"] == "supports"


def test_pin_survives_rescore_and_release_restores_the_machine(
    client: FlaskClient,
    runtime: Runtime,
    editor_headers,  # type: ignore[no-untyped-def]
) -> None:
    setup_stances(client, runtime, editor_headers)
    path = "/api/v1/corrections/stances/russia/negotiated-settlement"
    current = stance(client, "russia", "negotiated-settlement")
    stale = client.put(
        path,
        json={"score": 0.5, "label": "mixed", "note": "x"},
        headers={**editor_headers, "If-Match": str(current["version"] + 7)},
    )
    assert stale.status_code == 412
    pinned = client.put(
        path,
        json={"score": 0.5, "label": "mixed", "note": "talks resumed"},
        headers={**editor_headers, "If-Match": str(current["version"])},
    )
    assert pinned.status_code == 200, pinned.json
    assert pinned.json["version"] == current["version"] + 1
    pipeline.rescore(runtime.pool, runtime.settings, full=True)
    after = stance(client, "russia", "negotiated-settlement")
    assert (after["label"], after["method"], after["pinned"]) == ("mixed", "manual", True)
    assert after["auto_label"] == "opposes"  # the machine's view, beside the pin
    history = client.get("/api/v1/stances/russia/negotiated-settlement/history").json["items"]
    assert history[-1]["method"] == "manual" and history[-1]["reason"].startswith("pinned")
    released = client.delete(path, json={"note": "no longer true"}, headers=editor_headers)
    assert released.status_code == 200 and released.json["label"] == "opposes"
    again = client.delete(path, json={}, headers=editor_headers)
    assert again.status_code == 409


def test_bad_corrections_are_4xx_and_change_nothing(
    client: FlaskClient, runtime: Runtime, editor_headers, token_factory
) -> None:  # type: ignore[no-untyped-def]
    doc = setup_stances(client, runtime, editor_headers)
    item = doc["evidence"][0]
    path = f"/api/v1/corrections/evidence/{item['id']}"
    assert client.post(path, json={"action": "reject", "reason": "x"}).status_code == 401
    reader = {"Authorization": f"Bearer {token_factory('reader')}"}
    assert (
        client.post(path, json={"action": "reject", "reason": "x"}, headers=reader).status_code
        == 403
    )
    cases = [
        ({"action": "burn", "reason": "x"}, 422),
        ({"action": "reject"}, 422),
        ({"action": "amend", "reason": "x"}, 422),
        ({"action": "amend", "reason": "x", "actor": "atlantis"}, 422),
        ({"action": "amend", "reason": "x", "polarity": 3}, 422),
    ]
    for body, status in cases:
        response = client.post(path, json=body, headers=editor_headers)
        assert response.status_code == status, (body, response.json)
    missing = client.post(
        "/api/v1/corrections/evidence/999999",
        json={"action": "reject", "reason": "x"},
        headers=editor_headers,
    )
    assert missing.status_code == 404
    unknown = client.put(
        "/api/v1/corrections/stances/atlantis/negotiated-settlement",
        json={"score": 0, "label": "mixed", "note": "n"},
        headers=editor_headers,
    )
    assert unknown.status_code == 404
    fetched = client.get(f"/api/v1/documents/{doc['id']}").json["evidence"]
    assert all(not e["rejected"] and e["correction_id"] is None for e in fetched)
