"""Feeds end to end: a real HTTP server on 127.0.0.1, the poll_sources job, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from service.db.pool import connection, transaction
from service.ingestion import sources
from service.runtime import Runtime
from service.scheduler import rescore_job, run_job
from service.settings import Settings
from tests.integration import wire_stories as w
from tests.integration.feeds_server import (
    FeedServer,
    Route,
    Story,
    article_page,
    atom,
    rss,
    serving,
)

WIRE, HERALD = "Continental Wire", "Eastern Herald"
MACRON = Story("/wire/macron-talks", "Macron urges China to press Russia", w.WIRE_MACRON,
               "2024-03-05T10:00:00Z")  # fmt: skip
WANG_YI = Story("/wire/wang-yi", "China backs peace talks, Wang says", w.CHINA_WANG_YI,
                "2024-03-06T08:00:00Z")  # fmt: skip
PESKOV = Story("/herald/kremlin", "Kremlin sees no prospect of peace", w.KREMLIN_PESKOV,
               "2024-03-06T12:00:00Z")  # fmt: skip
KULEBA = Story("/wire/kuleba", "Kuleba: sovereignty not negotiable", w.UKRAINE_KULEBA,
               "2024-03-06T15:00:00Z")  # fmt: skip
COPY = Story("/herald/macron-copy", "Macron calls on Beijing to help end the war",
             w.SYNDICATED_MACRON, "2024-03-05T16:30:00Z")  # fmt: skip
LECORNU = Story("/herald/lecornu-aid", "France to send more missiles to Ukraine",
                w.OTHER_FRANCE, "2024-03-07T09:00:00Z")  # fmt: skip
LAST_MODIFIED = "Thu, 07 Mar 2024 12:00:00 GMT"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Short limits, so the failure cases take a moment rather than the defaults' 10 s."""
    return settings.with_(fetch_timeout_seconds=0.5, fetch_max_bytes=64 * 1024)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serving() as s:
        yield s


def publish(server: FeedServer, site: str, feed_path: str, stories: list[Story], **kw: Any) -> None:
    """Serve the stories' pages and a feed of them (RSS under /wire, Atom otherwise)."""
    for story in stories:
        server.routes.setdefault(story.path, Route(article_page(story, site=site)))
    make = rss if feed_path.endswith(".xml") else atom
    kind = "application/rss+xml" if make is rss else "application/atom+xml"
    server.routes[feed_path] = Route(make(site, server.base, stories), content_type=kind, **kw)


def add_feed(rt: Runtime, url: str) -> int:
    source = sources.create_source(
        rt.pool, kind="feed", url=url, poll_interval_seconds=900, principal="test"
    )
    return source.id


def poll(rt: Runtime) -> dict[str, Any]:
    run = run_job(rt, "poll_sources", sources.poll_sources_job)
    assert run is not None and run.status == "ok", run
    return run.counts


def make_due(rt: Runtime) -> None:
    with transaction(rt.pool) as conn:
        conn.execute("UPDATE sources SET next_poll_at = now()")


def rows(rt: Runtime, sql: str, *params: Any) -> list[dict[str, Any]]:
    with connection(rt.pool) as conn:
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def cell(client: FlaskClient, actor: str, topic: str) -> dict[str, Any]:
    matrix = client.get("/api/v1/stances").json
    assert matrix is not None
    return next(i for i in matrix["items"] if (i["actor"], i["topic"]) == (actor, topic))


def test_entries_are_ingested_once_and_rescored(
    runtime: Runtime, server: FeedServer, client: FlaskClient
) -> None:
    publish(server, WIRE, "/wire/feed.xml", [WANG_YI, MACRON], etag=True)
    publish(server, HERALD, "/herald/atom", [PESKOV], last_modified=LAST_MODIFIED)
    wire_id = add_feed(runtime, server.url("/wire/feed.xml"))
    add_feed(runtime, server.url("/herald/atom"))

    first = poll(runtime)
    assert first | {"errors": []} == {
        "sources": 2, "sources_failed": 0, "not_modified": 0, "fetched": 3, "new": 3,
        "duplicate": 0, "near_duplicate": 0, "failed": 0, "errors": [],
    }  # fmt: skip
    docs = rows(runtime, "SELECT * FROM documents ORDER BY published_at")
    assert [d["title"] for d in docs] == [MACRON.title, WANG_YI.title, PESKOV.title]
    macron = docs[0]
    assert macron["url"] == server.url(MACRON.path)  # tracking parameters gone
    assert macron["source"] == WIRE and macron["language"] == "en"
    assert macron["source_id"] == wire_id
    assert macron["published_at"] == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert "negotiating table" in macron["text"] and "Most read" not in macron["text"]

    # the next tick re-scores what arrived
    assert run_job(runtime, "rescore", rescore_job) is not None
    assert cell(client, "china", "negotiated-settlement")["label"] == "supports"
    assert cell(client, "russia", "negotiated-settlement")["label"] == "opposes"
    assert cell(client, "france", "military-aid-ukraine")["label"] == "supports"

    # unchanged feeds: conditional requests answer 304, nothing is fetched again
    make_due(runtime)
    second = poll(runtime)
    assert (second["not_modified"], second["fetched"], second["new"]) == (2, 0, 0)
    assert server.conditional_hits["/wire/feed.xml"] == 1
    assert server.conditional_hits["/herald/atom"] == 1
    assert all(server.hits[s.path] == 1 for s in (MACRON, WANG_YI, PESKOV))

    # a new entry: only it is fetched, and it moves Ukraine's stance at the next tick
    before = cell(client, "ukraine", "ukraine-sovereignty")
    publish(server, WIRE, "/wire/feed.xml", [KULEBA, WANG_YI, MACRON], etag=True)
    make_due(runtime)
    third = poll(runtime)
    assert (third["fetched"], third["new"], third["not_modified"]) == (1, 1, 1)
    assert all(server.hits[s.path] == 1 for s in (MACRON, WANG_YI, PESKOV, KULEBA))
    assert run_job(runtime, "rescore", rescore_job) is not None
    after = cell(client, "ukraine", "ukraine-sovereignty")
    assert before["label"] == "no-signal"
    assert after["label"] == "supports" and after["evidence_count"] >= 1

    # a feed that ignores validators: the entries are known, so still nothing is fetched
    server.routes["/wire/feed.xml"].etag = False
    make_due(runtime)
    fourth = poll(runtime)
    assert (fourth["fetched"], fourth["new"], fourth["not_modified"]) == (0, 0, 1)
    assert len(rows(runtime, "SELECT id FROM documents")) == 4


def test_bad_sources_and_pages_are_errors_while_the_others_ingest(
    runtime: Runtime, server: FeedServer
) -> None:
    # a good feed; its Kyiv story is served in windows-1252 with typographic quotes
    publish(server, WIRE, "/wire/feed.xml", [KULEBA, WANG_YI])
    server.routes[KULEBA.path] = Route(
        article_page(KULEBA, site=WIRE, charset="windows-1252"),
        content_type="text/html; charset=windows-1252",
    )
    # sources that fail whole
    server.routes["/broken.xml"] = Route(b"<rss \x00\x01 garbage", content_type="text/xml")
    server.routes["/down.xml"] = Route(b"oops", status=500, content_type="text/plain")
    # a feed whose pages fail one by one, beside one good page
    slow = Story("/t/slow", "Slow page", w.OTHER_FRANCE, "2024-03-07T09:00:00Z")
    huge = Story("/t/huge", "Huge page", w.OTHER_FRANCE, "2024-03-07T09:01:00Z")
    endless = Story("/t/endless", "Streamed forever", w.OTHER_FRANCE, "2024-03-07T09:02:00Z")
    wrong = Story("/t/mislabelled", "Wrong charset", w.UKRAINE_KULEBA, "2024-03-07T09:03:00Z")
    loop = Story("/t/loop", "Redirect loop", w.OTHER_FRANCE, "2024-03-07T09:04:00Z")
    publish(server, HERALD, "/t/atom", [slow, huge, endless, wrong, loop, PESKOV])
    server.routes[slow.path].delay = 2.0
    server.routes[huge.path] = Route(b"<p>" + b"x" * 200_000 + b"</p>")
    server.routes[endless.path] = Route(b"<p>" + b"y" * 200_000 + b"</p>", send_length=False)
    server.routes[wrong.path] = Route(
        article_page(wrong, site=HERALD, charset="windows-1252"),
        content_type="text/html; charset=utf-8",
    )
    server.routes[loop.path] = Route(status=302, location=loop.path)
    ids = {
        name: add_feed(runtime, server.url(path))
        for name, path in [
            ("good", "/wire/feed.xml"),
            ("broken", "/broken.xml"),
            ("down", "/down.xml"),
            ("troubled", "/t/atom"),
        ]
    }

    counts = poll(runtime)
    assert (counts["sources"], counts["sources_failed"]) == (4, 2)
    assert (counts["new"], counts["failed"], counts["fetched"]) == (3, 7, 8)
    errors = "\n".join(counts["errors"])
    for expected in (
        "not a valid RSS or Atom feed",
        "HTTP 500",
        "timed out after 0.5 s",
        "over the limit of 65536 bytes",
        "larger than the limit of 65536 bytes",
        "declares charset 'utf-8' but byte",
        "more than 5 redirects",
    ):
        assert expected in errors, expected
    kyiv = rows(runtime, "SELECT text FROM documents WHERE title = %s", KULEBA.title)[0]
    assert "\u201cUkraine\u2019s sovereignty" in kyiv["text"]  # decoded as declared
    titles = {r["title"] for r in rows(runtime, "SELECT title FROM documents")}
    assert titles == {KULEBA.title, WANG_YI.title, PESKOV.title}

    # failed sources back off exponentially; the others are due after their interval
    state = {
        r["id"]: r for r in rows(runtime, "SELECT *, next_poll_at - now() AS wait FROM sources")
    }
    for name in ("broken", "down"):
        assert state[ids[name]]["consecutive_failures"] == 1
        assert abs(state[ids[name]]["wait"] - timedelta(seconds=1800)) < timedelta(seconds=60)
    assert state[ids["down"]]["last_error"].endswith("HTTP 500 Internal Server Error")
    for name in ("good", "troubled"):
        assert state[ids[name]]["consecutive_failures"] == 0
        assert abs(state[ids[name]]["wait"] - timedelta(seconds=900)) < timedelta(seconds=60)

    # the next poll: failing entries are tried again, stored ones are not
    make_due(runtime)
    again = poll(runtime)
    assert (again["new"], again["fetched"], again["sources_failed"]) == (0, 5, 2)
    waits = {
        r["id"]: r for r in rows(runtime, "SELECT *, next_poll_at - now() AS wait FROM sources")
    }
    assert waits[ids["down"]]["consecutive_failures"] == 2
    assert abs(waits[ids["down"]]["wait"] - timedelta(seconds=3600)) < timedelta(seconds=60)
    assert server.hits[PESKOV.path] == 1
    attempts = rows(runtime, "SELECT attempts FROM source_entries WHERE status = 'failed'")
    assert [r["attempts"] for r in attempts] == [2] * 5


def test_syndicated_copy_is_a_near_duplicate(
    runtime: Runtime, server: FeedServer, client: FlaskClient
) -> None:
    publish(server, WIRE, "/wire/feed.xml", [MACRON])
    publish(server, HERALD, "/herald/atom", [LECORNU, COPY])
    wire = add_feed(runtime, server.url("/wire/feed.xml"))
    herald = add_feed(runtime, server.url("/herald/atom"))

    first = sources.poll_source_now(runtime, wire, principal="test")
    second = sources.poll_source_now(runtime, herald, principal="test")
    assert (first.tally.new, first.tally.near_duplicate) == (1, 0)
    assert (second.tally.new, second.tally.near_duplicate) == (1, 1)

    docs = {d["title"]: d for d in rows(runtime, "SELECT * FROM documents")}
    original, copy, other = docs[MACRON.title], docs[COPY.title], docs[LECORNU.title]
    assert (copy["status"], copy["duplicate_of"]) == ("near-duplicate", original["id"])
    assert (other["status"], other["duplicate_of"]) == ("extracted", None)
    shown = client.get(f"/api/v1/documents/{copy['id']}").json
    assert shown is not None and shown["status"] == "near-duplicate" and shown["evidence"] == []

    # the story counts once: France's stances hold the original's evidence only
    assert run_job(runtime, "rescore", rescore_job) is not None
    counted = rows(
        runtime,
        "SELECT count(*) AS n FROM evidence WHERE actor_id = 'france'"
        " AND topic_id = 'negotiated-settlement'",
    )[0]["n"]
    from_original = rows(
        runtime,
        "SELECT count(*) AS n FROM evidence WHERE document_id = %s AND actor_id = 'france'"
        " AND topic_id = 'negotiated-settlement'",
        original["id"],
    )[0]["n"]
    assert counted == from_original >= 1
    assert cell(client, "france", "negotiated-settlement")["evidence_count"] == from_original


def test_redirects_summaries_and_pages_without_text(runtime: Runtime, server: FeedServer) -> None:
    moved = Story("/old/wang", WANG_YI.title, WANG_YI.text, WANG_YI.published)
    empty = Story("/wire/video", "Video: Kremlin briefing", "", "2024-03-06T13:00:00Z",
                  summary=w.KREMLIN_PESKOV.split("\n\n")[0])  # fmt: skip
    publish(server, WIRE, "/wire/feed.xml", [moved, empty])
    server.routes[moved.path] = Route(status=301, location=WANG_YI.path)
    server.routes[WANG_YI.path] = Route(article_page(WANG_YI, site=WIRE))
    server.routes[empty.path] = Route(b"<html><body><nav>Home</nav><video></video></body></html>")
    feed = add_feed(runtime, server.url("/wire/feed.xml"))

    result = sources.poll_source_now(runtime, feed, principal="test")
    assert (result.error, result.tally.new, result.tally.failed) == (None, 2, 0)
    docs = {d["title"]: d for d in rows(runtime, "SELECT * FROM documents")}
    assert docs[WANG_YI.title]["url"] == server.url(WANG_YI.path)  # where the redirect led
    assert docs[empty.title]["text"].startswith("MOSCOW, March 6 - The Kremlin said")
