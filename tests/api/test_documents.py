"""POST/GET /api/v1/documents on a real database."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

ARTICLE = {
    "title": "Paris calls for talks",
    "text": (
        "French President Emmanuel Macron said on Monday that France wants peace talks "
        "between Russia and Ukraine to begin as soon as possible. "
        "The Kremlin said there were no prospects for a peaceful settlement."
    ),
    "published_at": "2023-05-02",
    "url": "https://news.example.org/paris-talks?utm_source=feed#top",
    "source": "Example News",
    "language": "en",
}


def post(client: FlaskClient, body: Any, headers: dict[str, str]) -> Any:
    return client.post("/api/v1/documents", json=body, headers=headers)


def test_post_stores_document_with_evidence(client: FlaskClient, editor_headers) -> None:
    response = post(client, ARTICLE, editor_headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["created"] is True
    assert body["url"] == "https://news.example.org/paris-talks"  # canonical: no utm, no fragment
    assert body["published_at"].startswith("2023-05-02")
    assert body["evidence"], "the extractor found nothing in an article full of positions"
    for item in body["evidence"]:
        assert body["text"][item["char_start"] : item["char_end"]] == item["quote"]
    actors = {(e["actor"], e["topic"]) for e in body["evidence"]}
    assert ("france", "negotiated-settlement") in actors

    fetched = client.get(f"/api/v1/documents/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json["evidence"] == body["evidence"]


def test_same_post_twice_stores_one_document(client: FlaskClient, editor_headers) -> None:
    first = post(client, ARTICLE, editor_headers)
    second = post(client, ARTICLE, editor_headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["created"] is False
    assert second.json["id"] == first.json["id"]
    same_text_other_url = dict(ARTICLE, url="https://mirror.example.net/copy")
    third = post(client, same_text_other_url, editor_headers)
    assert third.status_code == 200 and third.json["id"] == first.json["id"]
    listing = client.get("/api/v1/documents").json
    assert [d["id"] for d in listing["items"]] == [first.json["id"]]


def test_post_requires_a_token(client: FlaskClient, token_factory) -> None:
    missing = client.post("/api/v1/documents", json=ARTICLE)
    assert missing.status_code == 401
    assert "token" in missing.json["message"]
    wrong = post(client, ARTICLE, {"Authorization": "Bearer dm_not-a-real-token"})
    assert wrong.status_code == 401
    reader = post(client, ARTICLE, {"Authorization": f"Bearer {token_factory('reader')}"})
    assert reader.status_code == 403
    assert client.get("/api/v1/documents").json["items"] == []


def test_broken_json_is_a_400_json_error(client: FlaskClient, editor_headers) -> None:
    response = client.post(
        "/api/v1/documents",
        data='{"title": "x", "text": ',
        headers={**editor_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.is_json and response.json["code"] == 400


def test_missing_and_wrong_fields_are_named(client: FlaskClient, editor_headers) -> None:
    response = post(
        client, {"title": 5, "published_at": "yesterday", "colour": "red"}, editor_headers
    )
    assert response.status_code == 422
    fields = response.json["errors"]["json"]
    assert set(fields) >= {"title", "text", "published_at", "colour"}


def test_future_date_and_oversized_text_are_refused(
    client: FlaskClient, editor_headers, app
) -> None:
    future = post(client, dict(ARTICLE, published_at="2999-01-01"), editor_headers)
    assert future.status_code == 422
    assert "published_at" in future.json["errors"]["json"]
    limit = app.extensions["demarche"].settings.max_text_chars
    huge = post(client, dict(ARTICLE, text="a " * limit), editor_headers)
    assert huge.status_code in (413, 422)
    assert client.get("/api/v1/documents").json["items"] == []


def test_body_over_the_limit_is_413_json(client: FlaskClient, editor_headers, app) -> None:
    size = app.config["MAX_CONTENT_LENGTH"] + 10
    response = client.post(
        "/api/v1/documents",
        data=b"{" + b" " * size + b"}",
        headers={**editor_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.is_json


def test_unknown_document_is_404_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/documents/999999")
    assert response.status_code == 404
    assert response.json["message"] == "document 999999 does not exist"
    assert client.get("/api/v1/nothing-here").status_code == 404
    assert client.get("/api/v1/nothing-here").is_json


def test_list_filters_and_cursor_pagination(client: FlaskClient, editor_headers) -> None:
    ids = []
    for day in range(1, 6):
        body = dict(
            ARTICLE,
            url=f"https://news.example.org/{day}",
            text=ARTICLE["text"] + f" Day {day}.",
            published_at=f"2023-06-0{day}",
        )
        ids.append(post(client, body, editor_headers).json["id"])
    seen: list[int] = []
    cursor = None
    while True:
        query = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/documents", query_string=query).json
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))  # newest event time first, each once
    ranged = client.get(
        "/api/v1/documents", query_string={"since": "2023-06-02", "until": "2023-06-03"}
    ).json
    assert len(ranged["items"]) == 2
    by_actor = client.get("/api/v1/documents", query_string={"actor": "france"}).json
    assert len(by_actor["items"]) == 5
    nobody = client.get("/api/v1/documents", query_string={"actor": "atlantis"})
    assert nobody.status_code == 422 and nobody.json["errors"]["json"]["actor"]
    bad = client.get("/api/v1/documents", query_string={"cursor": "garbage"})
    assert bad.status_code == 422 and "cursor" in bad.json["errors"]["json"]
    absurd = client.get("/api/v1/documents", query_string={"limit": 10**9})
    assert absurd.status_code == 422


def test_actors_topics_and_evidence(client: FlaskClient, editor_headers) -> None:
    actors = client.get("/api/v1/actors").json["items"]
    assert {a["id"] for a in actors} >= {"france", "china", "russia", "ukraine"}
    france = next(a for a in actors if a["id"] == "france")
    assert any(al["alias"] == "Macron" for al in france["aliases"])
    topics = {t["id"] for t in client.get("/api/v1/topics").json["items"]}
    assert "negotiated-settlement" in topics and len(topics) == 6
    post(client, ARTICLE, editor_headers)
    items = client.get("/api/v1/evidence", query_string={"actor": "france"}).json["items"]
    assert items and all(e["actor"] == "france" for e in items)


def test_openapi_and_offline_docs(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    assert "/api/v1/documents" in spec["paths"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.get_data()) > 100_000
    asset.close()


def test_health_and_readiness(client: FlaskClient) -> None:
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["migrations"] == "current"
