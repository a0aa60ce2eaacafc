"""Inbox folders: files dropped in are ingested, then moved to ``processed/``, or to
``failed/`` with a ``<name>.error.txt`` beside them saying why.

A file changed less than ``inbox_settle_seconds`` ago may still be being written,
so it waits for a later poll; so do names a writer uses while it works
(``.name``, ``*.tmp``, ``*.part``, ``*~``). Writing to such a name and renaming
when done is the safe way to drop a file in."""

from __future__ import annotations

import io
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError as SchemaError

from service.errors import DemarcheError, Unavailable
from service.ingestion.dedup import Tally
from service.ingestion.feeds import Ingest, article_from_html
from service.ingestion.fetch import FetchError, decode_page
from service.ingestion.files import SIDECAR_SUFFIX, Record, read_records
from service.ingestion.schema import parse_document

log = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm"}
INBOX_SUFFIXES = {".txt", ".md", ".json", ".jsonl"} | HTML_SUFFIXES
WORK_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", "~")
PROCESSED, FAILED = "processed", "failed"


class InboxError(DemarcheError):
    """The inbox folder itself cannot be used (the source failed)."""


@dataclass(frozen=True)
class InboxFile:
    path: Path
    sidecar: Path | None


def poll_inbox(
    folder: Path, ingest: Ingest, *, settle_seconds: float, now: float | None = None
) -> Tally:
    """Ingest every settled file in ``folder`` and move it out of the way."""
    if not folder.is_dir():
        raise InboxError(f"inbox folder {folder} does not exist or is not a folder")
    try:
        for sub in (PROCESSED, FAILED):
            (folder / sub).mkdir(exist_ok=True)
    except OSError as exc:
        raise InboxError(f"cannot create {folder}/{PROCESSED} or {FAILED}: {exc}") from None
    tally = Tally()
    for item in ready_files(folder, settle_seconds, time.time() if now is None else now):
        tally.fetched += 1
        problems = _ingest_file(item, ingest, tally)
        try:
            _move(item, folder / (FAILED if problems else PROCESSED), problems)
        except FileNotFoundError:  # another poller took it meanwhile
            continue
    return tally


def ready_files(folder: Path, settle_seconds: float, now: float) -> list[InboxFile]:
    """Document files directly in ``folder`` that nobody has touched for a while."""
    ready = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if (
            name.startswith(".")
            or name.endswith(WORK_SUFFIXES)
            or name.endswith(SIDECAR_SUFFIX)
            or path.stem.upper() == "README"
            or path.suffix.lower() not in INBOX_SUFFIXES
            or not path.is_file()
        ):
            continue
        sidecar = path.with_name(name.removesuffix(path.suffix) + SIDECAR_SUFFIX)
        parts = [path, sidecar] if sidecar.is_file() else [path]
        try:
            if any(now - p.stat().st_mtime < settle_seconds for p in parts):
                continue  # still being written, perhaps: next poll
        except FileNotFoundError:
            continue
        ready.append(InboxFile(path, sidecar if sidecar.is_file() else None))
    return ready


def _ingest_file(item: InboxFile, ingest: Ingest, tally: Tally) -> list[str]:
    """Ingest every record of one file; returns what went wrong (empty when all went in)."""
    problems: list[str] = []
    for record in _records(item):
        where = item.path.name + record.location.removeprefix(str(item.path))  # name[:line]
        error = record.error or "unreadable"
        if record.document is not None:
            try:
                tally.count(ingest(record.document))
                continue
            except Unavailable:
                raise  # the database is down: leave the file where it is for the next poll
            except DemarcheError as exc:
                error = exc.message
            except Exception as exc:  # one odd file must not stop the folder
                log.exception("inbox file %s failed", item.path)
                error = f"{exc.__class__.__name__}: {exc}"
        tally.fail(where, error)
        problems.append(f"{where}: {error}")
    return problems


def _records(item: InboxFile) -> list[Record]:
    if item.path.suffix.lower() in HTML_SUFFIXES:
        return [_html_record(item)]
    return list(read_records([item.path], io.StringIO()))


def _html_record(item: InboxFile) -> Record:
    """A saved web page: main text and metadata by trafilatura, a sidecar may add or
    override any field (title, published_at, url, source, language)."""
    location = str(item.path)
    try:
        page = decode_page(item.path.read_bytes(), None)
        meta: Any = yaml.safe_load(item.sidecar.read_text("utf-8")) if item.sidecar else {}
    except (OSError, FetchError, yaml.YAMLError) as exc:
        return Record(location, error=getattr(exc, "message", None) or str(exc))
    if not isinstance(meta, dict):
        return Record(location, error="the sidecar must be a mapping (title, published_at, ...)")
    article = article_from_html(page, meta.get("url"))
    data: dict[str, Any] = {
        "title": article.title or item.path.stem,
        "text": article.text,
        "source": article.publisher,
        "language": article.language,
    }
    if article.published:
        data["published_at"] = article.published.isoformat()
    data.update({str(k): v.isoformat() if hasattr(v, "isoformat") else v for k, v in meta.items()})
    if not str(data.get("text") or "").strip():
        return Record(location, error="no main text found in the page")
    if "published_at" not in data:
        return Record(
            location,
            error="no publication date found in the page; give published_at in "
            f"{item.path.stem}{SIDECAR_SUFFIX}",
        )
    try:
        return Record(location, document=parse_document({k: v for k, v in data.items() if v}))
    except SchemaError as exc:
        fields = exc.messages if isinstance(exc.messages, dict) else {"page": exc.messages}
        return Record(location, error="; ".join(f"{k}: {v}" for k, v in sorted(fields.items())))


def _move(item: InboxFile, target: Path, problems: list[str]) -> None:
    """Move the file (and its sidecar) into ``target`` under a name not yet taken there;
    a failed file gets ``<name>.error.txt`` saying why."""
    name = item.path.name
    if (target / name).exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"{item.path.stem}.{stamp}-{uuid.uuid4().hex[:6]}{item.path.suffix}"
    destination = target / name
    item.path.rename(destination)
    if item.sidecar is not None:
        stem = destination.name.removesuffix(destination.suffix)
        item.sidecar.rename(target / (stem + SIDECAR_SUFFIX))
    if problems:
        report = "\n".join([f"{item.path.name} was not (fully) ingested:", *problems, _when(), ""])
        (target / (destination.name + ".error.txt")).write_text(report, encoding="utf-8")


def _when() -> str:
    return f"at {datetime.now(UTC).isoformat(timespec='seconds')}"
