"""RSS and Atom feeds: parse with feedparser, fetch each new entry's article page,
take its main text and metadata with trafilatura (the entry's summary when the
page has no main text), and ingest it. Entries already handled are remembered
per source (source_entries), so a feed polled again fetches nothing twice."""

from __future__ import annotations

import calendar
import html
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit

import feedparser
import trafilatura
from psycopg_pool import ConnectionPool

from service.db import sources as sources_db
from service.db.pool import connection, transaction
from service.db.sources import Source
from service.errors import DemarcheError, Unavailable, ValidationError
from service.ingestion.dedup import Tally
from service.ingestion.fetch import Fetcher, decode_page
from service.ingestion.normalize import canonical_url
from service.ingestion.schema import NewDocument
from service.pipeline import IngestResult

log = logging.getLogger(__name__)

Ingest = Callable[[NewDocument], IngestResult]
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)""", re.I
)
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TAGS = re.compile(r"<[^>]+>")


class FeedError(DemarcheError):
    """The response is not an RSS or Atom feed."""


@dataclass(frozen=True)
class Article:
    """What trafilatura found in a page."""

    text: str
    title: str | None
    published: date | None
    publisher: str | None
    language: str | None


@dataclass(frozen=True)
class Entry:
    key: str
    link: str | None
    title: str | None
    summary: str
    published: datetime | None


@dataclass(frozen=True)
class FeedPoll:
    not_modified: bool
    etag: str | None
    last_modified: str | None
    tally: Tally


def article_from_html(page: str, url: str | None = None) -> Article:
    """Main text and metadata (title, date, publisher, language) of an HTML page."""
    found = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if found is None:
        return Article("", None, None, None, _language(page))
    got: dict[str, Any] = found if isinstance(found, dict) else found.as_dict()
    return Article(
        text=str(got.get("text") or ""),
        title=got.get("title") or None,
        published=_day(got.get("date")),
        publisher=got.get("sitename") or None,
        language=_language(page) or got.get("language") or None,
    )


def parse_feed(body: bytes, content_type: str | None) -> tuple[dict[str, Any], list[Entry]]:
    """The feed's own metadata and its entries, newest first; FeedError if it is none."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a valid RSS or Atom feed ({reason.__class__.__name__}: {reason})")
    if not parsed.entries and not parsed.feed.get("title"):
        raise FeedError("not an RSS or Atom feed (no channel and no entries)")
    entries = [e for e in (_entry(raw) for raw in parsed.entries) if e is not None]
    newest = datetime.min.replace(tzinfo=UTC)
    entries.sort(key=lambda e: e.published or newest, reverse=True)
    return dict(parsed.feed), entries


def poll_feed(
    pool: ConnectionPool,
    fetcher: Fetcher,
    source: Source,
    ingest: Ingest,
    *,
    max_entries: int,
    max_attempts: int,
) -> FeedPoll:
    """Fetch the feed (conditionally) and ingest its new entries, oldest first.

    The feed itself failing raises (the source failed); an entry failing is
    counted and remembered, and retried on later polls up to ``max_attempts``."""
    assert source.url is not None
    fetched = fetcher.get(
        source.url, etag=source.etag, last_modified=source.last_modified, accept=FEED_ACCEPT
    )
    tally = Tally()
    if fetched.not_modified:
        return FeedPoll(True, source.etag, source.last_modified, tally)
    feed, entries = parse_feed(fetched.body, fetched.content_type)
    todo = _new_entries(pool, source, entries[:max_entries], max_attempts, tally)
    for entry in reversed(todo):  # oldest first: the first copy of a story is the earliest
        _ingest_entry(pool, fetcher, source, feed, entry, ingest, tally)
    return FeedPoll(False, fetched.etag, fetched.last_modified, tally)


def _new_entries(
    pool: ConnectionPool, source: Source, entries: list[Entry], max_attempts: int, tally: Tally
) -> list[Entry]:
    """Entries neither handled before nor already stored from elsewhere (by url)."""
    with connection(pool) as conn:
        states = sources_db.entry_states(conn, source.id, [e.key for e in entries])
        links = [e.link for e in entries if e.link]
        stored = sources_db.stored_urls(conn, links)
    todo = []
    for entry in entries:
        state = states.get(entry.key)
        if state is not None and (state.status != "failed" or state.attempts >= max_attempts):
            continue
        if entry.link in stored and state is None:
            with transaction(pool) as conn:
                sources_db.record_entry(conn, source.id, entry.key, status="duplicate")
            tally.duplicate += 1
            continue
        todo.append(entry)
    return todo


def _ingest_entry(
    pool: ConnectionPool,
    fetcher: Fetcher,
    source: Source,
    feed: dict[str, Any],
    entry: Entry,
    ingest: Ingest,
    tally: Tally,
) -> None:
    tally.fetched += 1
    status, document_id, error = "failed", None, None
    try:
        result = ingest(entry_document(fetcher, source, feed, entry))
        status, document_id = tally.count(result), result.document.id
    except Unavailable:
        raise
    except DemarcheError as exc:
        error = exc.message
    except Exception as exc:  # a bug on one odd page must not stop the feed
        log.exception("feed entry %s failed", entry.link or entry.key)
        error = f"{exc.__class__.__name__}: {exc}"
    if error is not None:
        tally.fail(entry.link or entry.key, error)
    with transaction(pool) as conn:
        sources_db.record_entry(
            conn, source.id, entry.key, status=status, document_id=document_id, error=error
        )


def entry_document(
    fetcher: Fetcher, source: Source, feed: dict[str, Any], entry: Entry
) -> NewDocument:
    """The document for one entry: its article page's main text, else its summary."""
    article, raw_html, url = None, None, entry.link
    if entry.link:
        page = fetcher.get(entry.link)
        raw_html = decode_page(page.body, page.content_type)
        url = page.url
        article = article_from_html(raw_html, page.url)
    # a "main text" shorter than the entry's own teaser is not the article (a video
    # page, a paywall, a consent wall): the summary says more
    text = article.text if article and len(article.text) > len(entry.summary) else entry.summary
    if not text.strip():
        raise ValidationError("the article page has no main text and the entry no summary")
    published = entry.published or (_midnight(article.published) if article else None)
    language = (article.language if article else None) or feed.get("language")
    publisher = (article.publisher if article else None) or feed.get("title") or source.name
    return NewDocument(
        title=((entry.title or (article.title if article else None) or url or "untitled")[:1000]),
        text=text,
        published_at=published or datetime.now(UTC),
        url=url,
        source=(publisher or "")[:200] or None,
        language=language if language and _LANG_TAG.match(language) else None,
        raw_html=raw_html,
    )


def _entry(raw: Any) -> Entry | None:
    link = canonical_url(raw.get("link")) if _is_web(raw.get("link")) else None
    key = link or raw.get("id") or raw.get("title")
    if not key:
        return None
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    summary = html.unescape(_TAGS.sub(" ", raw.get("summary") or ""))
    return Entry(str(key)[:2000], link, raw.get("title"), " ".join(summary.split()), published)


def _is_web(link: Any) -> bool:
    return isinstance(link, str) and urlsplit(link).scheme in ("http", "https")


def _language(page: str) -> str | None:
    found = _LANG.search(page[:4096])
    return found.group(1) if found else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None
