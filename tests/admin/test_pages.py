"""The admin page through Flask's test client: sessions, roles, CSRF, escaping.
(The same flows in a real browser are in test_browser.py.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import accounts, pipeline
from service.ingestion.schema import NewDocument
from service.runtime import Runtime

PASSWORD = "correct horse battery staple"


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> int:
    page = client.get("/admin/login").get_data(as_text=True)
    response = client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page)},
    )
    return response.status_code


@pytest.fixture
def admin_user(runtime: Runtime) -> str:
    accounts.create_user(
        runtime.pool, username="ada", password=PASSWORD, role="admin", principal="test"
    )
    return "ada"


@pytest.fixture
def analyst_user(runtime: Runtime) -> str:
    accounts.create_user(
        runtime.pool, username="ann", password=PASSWORD, role="analyst", principal="test"
    )
    return "ann"


def test_pages_need_a_login(client: FlaskClient) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert client.get("/admin/audit").status_code == 302


def test_login_logout_and_security_headers(client: FlaskClient, admin_user: str) -> None:
    assert login(client, admin_user, "wrong password!") == 401
    assert login(client, admin_user) == 302
    page = client.get("/admin/")
    assert page.status_code == 200 and "Stance matrix" in page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    cookie = client.get_cookie("demarche_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    token = csrf_from(page.get_data(as_text=True))
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_login_is_throttled_after_repeated_failures(client: FlaskClient, admin_user: str) -> None:
    for _ in range(accounts.MAX_FAILURES):
        assert login(client, admin_user, "not the password") == 401
    assert login(client, admin_user) == 429  # locked, even with the right password now


def test_form_without_csrf_token_is_refused(
    client: FlaskClient, admin_user: str, runtime: Runtime
) -> None:
    login(client, admin_user)
    response = client.post(
        "/admin/stances/china/negotiated-settlement/pin",
        data={"score": "1", "label": "supports", "note": "x"},
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/api/v1/stances/china/negotiated-settlement").json["pinned"] is False


def test_analyst_cannot_create_users(client: FlaskClient, analyst_user: str) -> None:
    login(client, analyst_user)
    page = client.get("/admin/")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    response = client.post(
        "/admin/users",
        data={"csrf_token": token, "username": "eve", "password": "x" * 20, "role": "admin"},
    )
    assert response.status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_article_text_is_escaped(client: FlaskClient, admin_user: str, runtime: Runtime) -> None:
    doc = pipeline.ingest_document(
        runtime.pool,
        runtime.lexicon,
        NewDocument(
            title="<b>bold</b> title",
            text="Ukrainian Foreign Minister Dmytro Kuleba said <script>alert(1)</script>"
            " Kyiv wants peace talks.",
            published_at=datetime(2023, 1, 5, tzinfo=UTC),
        ),
        principal="test",
        max_text_chars=10_000,
    ).document
    login(client, admin_user)
    html = client.get(f"/admin/documents/{doc.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_every_page_renders(
    client: FlaskClient, admin_user: str, app: Flask, runtime: Runtime
) -> None:
    from service.ingestion.batch import ingest_paths
    from service.settings import PROJECT_ROOT

    ingest_paths(runtime, [str(PROJECT_ROOT / "seeds")], principal="test")
    pipeline.rescore(runtime.pool, runtime.settings)
    login(client, admin_user)
    for path in (
        "/admin/",
        "/admin/?as_of=2022-12-31",
        "/admin/stances/china/negotiated-settlement",
        "/admin/documents/1",
        "/admin/review",
        "/admin/jobs",
        "/admin/audit",
        "/admin/users",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    assert client.get("/admin/stances/atlantis/x").status_code == 404
    assert client.get("/admin/?as_of=garbage").status_code == 422


def test_sources_page_adds_polls_and_removes(
    client: FlaskClient, admin_user: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    login(client, admin_user)
    token = csrf_from(client.get("/admin/sources").get_data(as_text=True))
    added = client.post(
        "/admin/sources",
        data={
            "csrf_token": token,
            "action": "add",
            "kind": "inbox",
            "target": str(inbox),
            "name": "drop folder",
        },
    )
    assert added.status_code == 200 and "drop folder added" in added.get_data(as_text=True)
    listed = client.get("/api/v1/sources").json["items"]
    assert [(s["kind"], s["name"]) for s in listed] == [("inbox", "drop folder")]
    polled = client.post(
        "/admin/sources",
        data={"csrf_token": token, "action": "poll", "source_id": str(listed[0]["id"])},
    )
    assert "Polled drop folder" in polled.get_data(as_text=True)
    bad = client.post(
        "/admin/sources",
        data={"csrf_token": token, "action": "add", "kind": "feed", "target": "not a url"},
    )
    assert bad.status_code == 422
    removed = client.post(
        "/admin/sources",
        data={"csrf_token": token, "action": "remove", "source_id": str(listed[0]["id"])},
    )
    assert "removed" in removed.get_data(as_text=True)
    assert client.get("/api/v1/sources").json["items"] == []
