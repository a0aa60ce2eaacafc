"""Use cases for sources (feeds and inbox folders): add, change, remove, poll.

Each management use case is one transaction and is audited. Polling is a batch:
the source is claimed in one transaction, every document it yields is ingested in
its own (so one bad article stores nothing partial and stops nothing else), and
the outcome is recorded in a last one, with exponential backoff after failures."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from psycopg_pool import ConnectionPool

from service import pipeline
from service.db import access
from service.db import sources as sources_db
from service.db.pool import Connection, connection, transaction
from service.db.sources import Source, SourceChanges
from service.errors import DemarcheError, NotFound, ValidationError
from service.ingestion.dedup import Tally
from service.ingestion.feeds import Ingest, poll_feed
from service.ingestion.fetch import Fetcher, FetchLimits
from service.ingestion.inbox import poll_inbox
from service.ingestion.normalize import canonical_url
from service.ingestion.schema import NewDocument
from service.runtime import Runtime

log = logging.getLogger(__name__)

KINDS = ("feed", "inbox")
# A claimed source is not claimed again for this long (a poller that died lets go then).
LEASE_SECONDS = 900
CLAIM_BATCH = 100


@dataclass
class PollResult:
    source: Source
    tally: Tally = field(default_factory=Tally)
    not_modified: bool = False
    error: str | None = None


def create_source(
    pool: ConnectionPool,
    *,
    kind: str,
    url: str | None = None,
    path: str | None = None,
    name: str | None = None,
    poll_interval_seconds: int,
    source_weight: float = 1.0,
    enabled: bool = True,
    principal: str,
    request_id: str | None = None,
) -> Source:
    """Add a feed (by URL) or an inbox (an existing folder, by absolute path)."""
    if kind not in KINDS:
        raise ValidationError("kind must be 'feed' or 'inbox'", field="kind")
    if kind == "feed":
        if url is None or path is not None:
            raise ValidationError("a feed needs a url (and no path)", field="url")
        url = _feed_url(url)
    else:
        if path is None or url is not None:
            raise ValidationError("an inbox needs a path (and no url)", field="path")
        path = _inbox_path(path)
    label = (name or "").strip() or _default_name(url, path)
    with transaction(pool) as conn:
        source = sources_db.insert_source(
            conn,
            kind=kind,
            url=url,
            path=path,
            name=label,
            enabled=enabled,
            poll_interval_seconds=poll_interval_seconds,
            source_weight=source_weight,
        )
        _audit(conn, principal, "source.create", source, None, source, request_id)
    return source


def update_source(
    pool: ConnectionPool,
    source_id: int,
    changes: SourceChanges,
    *,
    principal: str,
    request_id: str | None = None,
) -> Source:
    with transaction(pool) as conn:
        before = _existing(conn, source_id)
        if changes.url is not None and before.kind != "feed":
            raise ValidationError("only a feed has a url", field="url")
        if changes.path is not None and before.kind != "inbox":
            raise ValidationError("only an inbox has a path", field="path")
        checked = SourceChanges(
            **{
                **asdict(changes),
                "url": _feed_url(changes.url) if changes.url is not None else None,
                "path": _inbox_path(changes.path) if changes.path is not None else None,
                "name": changes.name.strip() or None if changes.name is not None else None,
            }
        )
        after = sources_db.update_source(conn, source_id, checked)
        assert after is not None
        _audit(conn, principal, "source.update", after, before, after, request_id)
    return after


def delete_source(
    pool: ConnectionPool, source_id: int, *, principal: str, request_id: str | None = None
) -> Source:
    """Remove a source; the documents it brought stay."""
    with transaction(pool) as conn:
        gone = sources_db.delete_source(conn, source_id)
        if gone is None:
            raise NotFound(f"source {source_id} does not exist")
        _audit(conn, principal, "source.delete", gone, gone, None, request_id)
    return gone


def get_source(pool: ConnectionPool, source_id: int) -> Source:
    with connection(pool) as conn:
        return _existing(conn, source_id)


def list_sources(pool: ConnectionPool, *, limit: int, after_id: int | None = None) -> list[Source]:
    with connection(pool) as conn:
        return sources_db.list_sources(conn, limit=limit, after_id=after_id)


def poll_source_now(
    rt: Runtime, source_id: int, *, principal: str, request_id: str | None = None
) -> PollResult:
    """Poll one source at once, whatever its schedule (also a disabled one)."""
    with transaction(rt.pool) as conn:
        source = sources_db.claim_source(conn, source_id, lease_seconds=LEASE_SECONDS)
        if source is None:
            raise NotFound(f"source {source_id} does not exist")
    with Fetcher(FetchLimits.from_settings(rt.settings)) as fetcher:
        result = poll_source(rt, fetcher, source)
    with transaction(rt.pool) as conn:
        access.insert_audit(
            conn,
            principal=principal,
            action="source.poll",
            target_type="source",
            target_id=str(source_id),
            after={"not_modified": result.not_modified, "error": result.error}
            | result.tally.as_counts(),
            request_id=request_id,
        )
    return result


def poll_due_sources(rt: Runtime) -> dict[str, Any]:
    """Poll every enabled source that is due; a source failing never stops the others.
    Returns the counts recorded in job_runs (errors name their source)."""
    total, polled, unchanged, sources_failed = Tally(), 0, 0, 0
    with Fetcher(FetchLimits.from_settings(rt.settings)) as fetcher:
        while True:
            with transaction(rt.pool) as conn:
                batch = sources_db.claim_due_sources(
                    conn, limit=CLAIM_BATCH, lease_seconds=LEASE_SECONDS
                )
            for source in batch:
                result = poll_source(rt, fetcher, source)
                polled += 1
                unchanged += result.not_modified
                sources_failed += result.error is not None
                total.add(result.tally)
            if len(batch) < CLAIM_BATCH:
                break
    return {
        "sources": polled,
        "sources_failed": sources_failed,
        "not_modified": unchanged,
        **total.as_counts(),
    }


def poll_sources_job(rt: Runtime) -> dict[str, Any]:
    """The scheduled job: poll the sources that are due."""
    return poll_due_sources(rt)


def poll_source(rt: Runtime, fetcher: Fetcher, source: Source) -> PollResult:
    """Poll one claimed source and record the outcome; never raises for the source's
    own failures (they are recorded on it, with backoff, and in the result)."""
    settings = rt.settings
    result = PollResult(source)
    etag, last_modified = source.etag, source.last_modified
    try:
        if source.kind == "feed":
            feed = poll_feed(
                rt.pool,
                fetcher,
                source,
                _ingester(rt, source),
                max_entries=settings.feed_max_entries,
                max_attempts=settings.feed_entry_max_attempts,
            )
            result.tally, result.not_modified = feed.tally, feed.not_modified
            etag, last_modified = feed.etag, feed.last_modified
        else:
            assert source.path is not None
            result.tally = poll_inbox(
                Path(source.path),
                _ingester(rt, source),
                settle_seconds=settings.inbox_settle_seconds,
            )
    except DemarcheError as exc:
        result.error = exc.message
    except Exception as exc:  # a bug or an outage on one source must not stop the others
        log.exception("polling source %s failed", source.id)
        result.error = f"{exc.__class__.__name__}: {exc}"
    where = f"source {source.id} ({source.url or source.path})"
    if result.error is not None:
        result.tally.fail(where, result.error)
    try:
        with transaction(rt.pool) as conn:
            if result.error is None:
                updated = sources_db.record_poll_success(
                    conn, source.id, etag=etag, last_modified=last_modified
                )
            else:
                updated = sources_db.record_poll_failure(
                    conn,
                    source.id,
                    error=result.error[:2000],
                    max_backoff_seconds=settings.source_max_backoff_seconds,
                )
    except DemarcheError as exc:  # e.g. the database went away: the lease expires later
        log.error("could not record the poll of %s: %s", where, exc.message)
        updated = None
    result.source = updated or source  # None: removed while it was being polled
    return result


def _ingester(rt: Runtime, source: Source) -> Ingest:
    def ingest(new: NewDocument) -> pipeline.IngestResult:
        return pipeline.ingest_document(
            rt.pool,
            rt.lexicon,
            new,
            principal=f"source#{source.id}",
            max_text_chars=rt.settings.max_text_chars,
            source_id=source.id,
            source_weight=source.source_weight,
            near_duplicate_threshold=rt.settings.near_duplicate_threshold,
        )

    return ingest


def _existing(conn: Connection, source_id: int) -> Source:
    found = sources_db.get_source(conn, source_id)
    if found is None:
        raise NotFound(f"source {source_id} does not exist")
    return found


def _feed_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("a feed url must be an http or https URL", field="url")
    canonical = canonical_url(url)
    assert canonical is not None
    return canonical


def _inbox_path(path: str) -> str:
    folder = Path(path.strip()).expanduser()
    if not folder.is_absolute():
        raise ValidationError("an inbox path must be absolute", field="path")
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not an existing folder", field="path")
    return str(folder.resolve())


def _default_name(url: str | None, path: str | None) -> str:
    if url is not None:
        return urlsplit(url).hostname or url
    return Path(path or "inbox").name or "inbox"


def _audit(
    conn: Connection,
    principal: str,
    action: str,
    source: Source,
    before: Source | None,
    after: Source | None,
    request_id: str | None,
) -> None:
    access.insert_audit(
        conn,
        principal=principal,
        action=action,
        target_type="source",
        target_id=str(source.id),
        before=_settings_of(before),
        after=_settings_of(after),
        request_id=request_id,
    )


def _settings_of(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    keep = ("kind", "url", "path", "name", "enabled", "poll_interval_seconds", "source_weight")
    return {k: getattr(source, k) for k in keep}
