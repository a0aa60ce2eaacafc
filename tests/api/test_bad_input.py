"""Hostile or broken input: always a 4xx JSON body naming the problem; nothing stored."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

GOOD = {
    "title": "t",
    "text": "The Kremlin said Russia rejects peace talks.",
    "published_at": "2023-01-01",
}


def nothing_stored(client: FlaskClient) -> bool:
    return client.get("/api/v1/documents").json["items"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"title": "\xff\xfe", "text": "x", "published_at": "2023-01-01"}', 400),
        (b"\xef\xbb\xbf\xff", 400),
        (b"[1, 2, 3]", 422),
        (b'"just a string"', 422),
        (b"{}", 422),
        (b'{"title": "t", "text": "x", "published_at": "2023-02-30"}', 422),
        (b'{"title": "t", "text": "x", "published_at": "99999-01-01"}', 422),
        (b'{"title": "t", "text": "x", "published_at": "2023-01-01", "extra": 1}', 422),
        (b'{"title": "t", "text": "   ", "published_at": "2023-01-01"}', 422),
        (b'{"title": "t", "text": "x", "published_at": "2023-01-01", "url": "ftp://a/b"}', 422),
        (b'{"title": "t\\u0000", "text": "x", "published_at": "2023-01-01"}', 422),
    ],
)
def test_bad_documents_are_refused(
    client: FlaskClient,
    editor_headers,
    body: bytes,  # type: ignore[no-untyped-def]
    status: int,
) -> None:
    response = client.post(
        "/api/v1/documents",
        data=body,
        headers={**editor_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and response.json["code"] == status
    assert nothing_stored(client)


def test_wrong_content_type_and_method(client: FlaskClient, editor_headers) -> None:  # type: ignore[no-untyped-def]
    form = client.post("/api/v1/documents", data={"title": "t"}, headers=editor_headers)
    assert form.status_code in (415, 422) and form.is_json
    wrong = client.delete("/api/v1/documents", headers=editor_headers)
    assert wrong.status_code == 405 and wrong.is_json
    assert nothing_stored(client)


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "-5"},
        {"limit": "1e9"},
        {"limit": "abc"},
        {"since": "yesterday"},
        {"until": "2023-13-01"},
        {"actor": "x" * 500},
        {"cursor": "%%%"},
        {"topic": "atlantis"},
        {"unknown": "1"},
    ],
)
def test_bad_queries_are_422(client: FlaskClient, query: dict[str, str]) -> None:
    response = client.get("/api/v1/documents", query_string=query)
    assert response.status_code == 422 and response.is_json
    assert response.json["errors"]
