"""`demarche sources add|list|remove|poll`: the feeds and inbox folders to poll.

service.cli is imported inside each command, not at the top: service.cli
registers this group while it is itself being imported."""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from service.db.sources import Source

if TYPE_CHECKING:
    from service.runtime import Runtime


def _runtime() -> AbstractContextManager[Runtime]:
    """The CLI's runtime (migrated database, pool), with the CLI's settings."""
    from service.cli import Context, opened_runtime

    return opened_runtime(click.get_current_context().ensure_object(Context).settings)


@click.group()
def sources() -> None:
    """Feeds and inbox folders polled for new articles (the poll_sources job)."""


@sources.command("add")
@click.option("--feed", "url", help="URL of an RSS or Atom feed.")
@click.option(
    "--inbox",
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder whose files are ingested, then moved to processed/ or failed/.",
)
@click.option("--name", help="A label (default: the feed's host or the folder's name).")
@click.option("--interval", type=click.IntRange(10, 604800), help="Seconds between polls.")
@click.option("--weight", type=click.FloatRange(0, 10), default=1.0, show_default=True)
@click.option("--disabled", is_flag=True, help="Add it without polling it yet.")
def sources_add(
    url: str | None,
    path: Path | None,
    name: str | None,
    interval: int | None,
    weight: float,
    disabled: bool,
) -> None:
    """Add a feed (--feed URL) or an inbox folder (--inbox PATH)."""
    from service.ingestion.sources import create_source

    if (url is None) == (path is None):
        raise click.UsageError("give exactly one of --feed URL or --inbox PATH")
    with _runtime() as rt:
        source = create_source(
            rt.pool,
            kind="feed" if url else "inbox",
            url=url,
            path=str(path.expanduser().resolve()) if path else None,
            name=name,
            poll_interval_seconds=interval or rt.settings.source_poll_interval_seconds,
            source_weight=weight,
            enabled=not disabled,
            principal="cli",
        )
    click.echo(f"source #{source.id} added: {_line(source)}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def sources_list(as_json: bool) -> None:
    """List sources with their poll state."""
    from service.ingestion.sources import list_sources

    with _runtime() as rt:
        rows = list_sources(rt.pool, limit=10_000)
    for s in rows:
        if as_json:
            click.echo(json.dumps({k: _plain(v) for k, v in s.__dict__.items()}))
        else:
            click.echo(f"{s.id}\t{_line(s)}")


@sources.command("remove")
@click.argument("source_id", type=int)
def sources_remove(source_id: int) -> None:
    """Remove a source (the documents it brought stay)."""
    from service.ingestion.sources import delete_source

    with _runtime() as rt:
        gone = delete_source(rt.pool, source_id, principal="cli")
    click.echo(f"source #{gone.id} removed: {gone.url or gone.path}")


@sources.command("poll")
@click.argument("source_id", type=int)
def sources_poll(source_id: int) -> None:
    """Poll one source now and print what it did."""
    from service.ingestion.sources import poll_source_now

    with _runtime() as rt:
        result = poll_source_now(rt, source_id, principal="cli")
    counts = result.tally.as_counts()
    errors = counts.pop("errors")
    state = "not modified" if result.not_modified else json.dumps(counts)
    click.echo(f"source #{source_id}: {state}")
    for error in errors if isinstance(errors, list) else []:
        click.echo(f"error: {error}", err=True)
    if result.error:
        sys.exit(1)


def _line(s: Source) -> str:
    state = "enabled" if s.enabled else "disabled"
    health = f"{s.consecutive_failures} failures: {s.last_error}" if s.last_error else "ok"
    every = f"every {s.poll_interval_seconds}s"
    return f"{s.kind}\t{s.url or s.path}\t{s.name!r}\t{state}\t{every}\t{health}"


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
