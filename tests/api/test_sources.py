"""Sources over REST (and the `demarche sources` commands): validation, roles,
audit, and a poll on demand against a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from service.cli import cli
from tests.integration import wire_stories as w
from tests.integration.feeds_server import FeedServer, Route, Story, article_page, rss, serving

WANG_YI = Story("/wire/wang-yi", "China backs peace talks", w.CHINA_WANG_YI, "2024-03-06T08:00:00Z")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serving() as s:
        s.routes[WANG_YI.path] = Route(article_page(WANG_YI, site="Continental Wire"))
        s.routes["/feed.xml"] = Route(rss("Continental Wire", s.base, [WANG_YI]), etag=True)
        yield s


def test_add_read_change_and_remove_a_feed(
    client: FlaskClient, editor_headers: dict[str, str]
) -> None:
    url = "HTTPS://News.Example/feed.xml?utm_medium=rss"
    created = client.post(
        "/api/v1/sources", json={"kind": "feed", "url": url}, headers=editor_headers
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert body is not None and isinstance(body["id"], int)
    assert body["url"] == "https://news.example/feed.xml" and body["name"] == "news.example"
    assert body["poll_interval_seconds"] == 900 and body["enabled"] is True
    assert body["path"] is None and body["consecutive_failures"] == 0
    source_id = body["id"]

    listed = client.get("/api/v1/sources").json
    assert listed is not None and [s["id"] for s in listed["items"]] == [source_id]
    assert listed["next_cursor"] is None
    assert client.get(f"/api/v1/sources/{source_id}").json["kind"] == "feed"  # type: ignore[index]

    changed = client.patch(
        f"/api/v1/sources/{source_id}",
        json={"name": "News", "poll_interval_seconds": 3600, "enabled": False},
        headers=editor_headers,
    )
    assert changed.status_code == 200, changed.json
    assert changed.json is not None
    assert (changed.json["name"], changed.json["poll_interval_seconds"]) == ("News", 3600)
    assert changed.json["enabled"] is False

    again = client.post(
        "/api/v1/sources", json={"kind": "feed", "url": url}, headers=editor_headers
    )
    assert again.status_code == 409

    assert client.delete(f"/api/v1/sources/{source_id}", headers=editor_headers).status_code == 204
    assert client.get(f"/api/v1/sources/{source_id}").status_code == 404
    assert client.delete(f"/api/v1/sources/{source_id}", headers=editor_headers).status_code == 404

    audit = client.get("/api/v1/audit", headers=editor_headers).json
    assert audit is not None
    actions = [a["action"] for a in audit["items"] if a["target_type"] == "source"]
    assert sorted(actions) == ["source.create", "source.delete", "source.update"]


def test_an_inbox_needs_an_existing_absolute_folder(
    client: FlaskClient, editor_headers: dict[str, str], tmp_path: Path
) -> None:
    ok = client.post(
        "/api/v1/sources", json={"kind": "inbox", "path": str(tmp_path)}, headers=editor_headers
    )
    assert ok.status_code == 201 and ok.json is not None
    assert ok.json["path"] == str(tmp_path.resolve()) and ok.json["url"] is None
    for bad in ("relative/folder", str(tmp_path / "missing")):
        refused = client.post(
            "/api/v1/sources", json={"kind": "inbox", "path": bad}, headers=editor_headers
        )
        assert refused.status_code == 422 and refused.json is not None
        assert "path" in refused.json["errors"]["json"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "feed"}, "url"),
        ({"kind": "feed", "url": "ftp://x.example/feed"}, "url"),
        ({"kind": "feed", "url": "https://x.example/f", "path": "/tmp"}, "url"),
        ({"kind": "inbox", "url": "https://x.example/f"}, "path"),
        ({"kind": "blog", "url": "https://x.example/f"}, "kind"),
        ({"kind": "feed", "url": "https://x.example/f", "poll_interval_seconds": 1},
         "poll_interval_seconds"),
        ({"kind": "feed", "url": "https://x.example/f", "source_weight": 11}, "source_weight"),
        ({"kind": "feed", "url": "https://x.example/f", "colour": "red"}, "colour"),
    ],
)  # fmt: skip
def test_bad_sources_are_refused_naming_the_field(
    client: FlaskClient, editor_headers: dict[str, str], body: dict[str, object], field: str
) -> None:
    response = client.post("/api/v1/sources", json=body, headers=editor_headers)
    assert response.status_code == 422, response.json
    assert response.json is not None and field in response.json["errors"]["json"]


def test_writes_need_an_editor_token(client: FlaskClient, token_factory) -> None:  # type: ignore[no-untyped-def]
    body = {"kind": "feed", "url": "https://x.example/feed"}
    assert client.post("/api/v1/sources", json=body).status_code == 401
    reader = {"Authorization": f"Bearer {token_factory('reader')}"}
    assert client.post("/api/v1/sources", json=body, headers=reader).status_code == 403
    assert client.post("/api/v1/sources/1/poll", headers=reader).status_code == 403
    assert client.get("/api/v1/sources").status_code == 200
    assert "/api/v1/sources/{source_id}/poll" in client.get("/api/v1/openapi.json").json["paths"]  # type: ignore[index]


def test_poll_now_returns_what_the_poll_did(
    client: FlaskClient, editor_headers: dict[str, str], server: FeedServer
) -> None:
    created = client.post(
        "/api/v1/sources",
        json={"kind": "feed", "url": server.url("/feed.xml"), "enabled": False},
        headers=editor_headers,
    ).json
    assert created is not None
    path = f"/api/v1/sources/{created['id']}/poll"

    first = client.post(path, headers=editor_headers)
    assert first.status_code == 200, first.json
    assert first.json is not None
    assert (first.json["new"], first.json["fetched"], first.json["error"]) == (1, 1, None)
    assert first.json["source"]["etag"] and first.json["source"]["last_success_at"]

    second = client.post(path, headers=editor_headers).json
    assert second is not None and second["not_modified"] is True and second["new"] == 0

    server.routes["/feed.xml"] = Route(b"down", status=503)
    failed = client.post(path, headers=editor_headers).json
    assert failed is not None and failed["error"].endswith("HTTP 503 Service Unavailable")
    assert failed["source"]["consecutive_failures"] == 1 and failed["failed"] == 1
    assert client.post("/api/v1/sources/999/poll", headers=editor_headers).status_code == 404


def test_the_sources_commands(database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "DEMARCHE_LOAD_SEEDS": "false"}

    added = runner.invoke(cli, ["sources", "add", "--feed", "https://news.example/rss"], env=env)
    assert added.exit_code == 0, added.output
    assert "source #1 added" in added.output
    inbox = runner.invoke(
        cli, ["sources", "add", "--inbox", str(tmp_path), "--name", "drop"], env=env
    )
    assert inbox.exit_code == 0, inbox.output
    neither = runner.invoke(cli, ["sources", "add"], env=env)
    assert neither.exit_code != 0 and "exactly one of" in neither.output

    listed = runner.invoke(cli, ["sources", "list"], env=env)
    assert listed.exit_code == 0
    assert "https://news.example/rss" in listed.output and str(tmp_path) in listed.output

    removed = runner.invoke(cli, ["sources", "remove", "1"], env=env)
    assert removed.exit_code == 0 and "source #1 removed" in removed.output
    after = runner.invoke(cli, ["sources", "list", "--json"], env=env)
    assert "news.example" not in after.output and '"name": "drop"' in after.output
