"""The `demarche` command."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from service.errors import DemarcheError
from service.runtime import Runtime, open_runtime, prepare_database
from service.settings import Settings, load_settings


class Context:
    """Lazily loaded settings, so `demarche --help` works even with a bad setting."""

    def __init__(self) -> None:
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    def override(self, **changes: Any) -> Settings:
        self._settings = self.settings.with_(**{k: v for k, v in changes.items() if v is not None})
        return self._settings


pass_context = click.make_pass_decorator(Context, ensure=True)


@contextmanager
def opened_runtime(settings: Settings) -> Iterator[Runtime]:
    url, lexicon = prepare_database(settings)
    rt = open_runtime(settings, url, lexicon)
    try:
        yield rt
    finally:
        rt.close()


@click.group()
@click.version_option(package_name="demarche")
def cli() -> None:
    """Demarche: who holds which position, with evidence, over time."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from service.logs import QUIET_LIBRARIES

    for chatty in QUIET_LIBRARIES:
        logging.getLogger(chatty).setLevel(logging.WARNING)


def _json_logs(settings: Settings) -> None:
    """Long-running processes log one JSON object a line, with the request id."""
    from service.logs import configure_logging

    configure_logging(settings.log_level, json_format=settings.log_format == "json")


@cli.command()
@click.option("--host", help="Address to bind (default from settings: 127.0.0.1).")
@click.option("--port", type=int, help="Port to bind (default 8000).")
@click.option("--workers", type=int, help="Worker processes (default 2).")
@pass_context
def serve(ctx: Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Migrate, load the seeds into an empty database, and serve with gunicorn."""
    # First, before anything imports prometheus_client: every worker (and the
    # scheduler) writes its metrics to files here, and /metrics adds them up.
    metrics_dir = tempfile.mkdtemp(prefix="demarche-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    from service.ingestion.seeds import load_seeds_if_empty
    from service.serve import DemarcheServer

    settings = ctx.override(host=host, port=port, workers=workers)
    _json_logs(settings)
    url, lexicon = prepare_database(settings)
    if settings.load_seeds:
        rt = open_runtime(settings, url, lexicon)
        try:
            stored = load_seeds_if_empty(rt)
        finally:
            rt.close()
        if stored:
            click.echo(f"loaded {stored} seed documents from {settings.seeds_dir}")
    scheduler = _start_scheduler_process(url) if settings.scheduler_enabled else None
    click.echo(f"serving on http://{settings.host}:{settings.port}")
    try:
        DemarcheServer(settings, url, lexicon).run()
    finally:
        if scheduler is not None:
            scheduler.terminate()
            scheduler.wait(timeout=30)
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _start_scheduler_process(database_url: str) -> subprocess.Popen[bytes]:
    """The scheduler runs beside gunicorn in a process of its own (never inside a
    worker, never before a fork), and exits with its parent."""
    env = dict(os.environ, DATABASE_URL=database_url)
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "scheduler", "--exit-with-parent"], env=env
    )


@cli.command()
@click.option("--exit-with-parent", is_flag=True, hidden=True)
@pass_context
def scheduler(ctx: Context, exit_with_parent: bool) -> None:
    """Run the scheduled jobs alone (re-score, nightly full re-score, re-extraction)."""
    from service.scheduler import default_jobs, run_forever

    _json_logs(ctx.settings)
    with opened_runtime(ctx.settings) as rt:
        run_forever(rt, default_jobs(), exit_with_parent=exit_with_parent)


@cli.command()
@click.option(
    "--full", is_flag=True, help="Re-score every pair (applies decay), not only due ones."
)
@pass_context
def rescore(ctx: Context, full: bool) -> None:
    """Re-score stances now, recorded as a job run."""
    from service.scheduler import full_rescore_job, rescore_job, run_job

    with opened_runtime(ctx.settings) as rt:
        name, function = ("rescore-full", full_rescore_job) if full else ("rescore", rescore_job)
        run = run_job(rt, name, function)
    if run is None:
        raise DemarcheError(f"job {name!r} is running in another process")
    click.echo(
        f"{run.job}: {run.status} {json.dumps(run.counts)}" + (f" {run.error}" if run.error else "")
    )
    if run.status != "ok":
        sys.exit(1)


@cli.command()
@pass_context
def reextract(ctx: Context) -> None:
    """Re-extract documents extracted with an older lexicon or extractor version."""
    from service.scheduler import reextract_job, run_job

    with opened_runtime(ctx.settings) as rt:
        run = run_job(rt, "reextract", reextract_job)
    if run is None:
        raise DemarcheError("re-extraction is running in another process")
    click.echo(
        f"reextract: {run.status} {json.dumps(run.counts)}" + (f" {run.error}" if run.error else "")
    )
    if run.status != "ok":
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@pass_context
def ingest(ctx: Context, paths: tuple[str, ...]) -> None:
    """Ingest files, folders, JSONL (one document a line) or - for JSONL on stdin."""
    from service.ingestion.batch import ingest_paths

    with opened_runtime(ctx.settings) as rt:
        report = ingest_paths(rt, list(paths), principal="cli", progress=True)
    click.echo(report.summary())
    for location, reason in report.failures:
        click.echo(f"failed: {location}: {reason}", err=True)
    if report.failures:
        sys.exit(1)


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(ctx: Context) -> None:
    """Apply pending migrations (safe while other processes start)."""
    from service.db.migrate import upgrade
    from service.runtime import resolve_database_url

    applied = upgrade(resolve_database_url(ctx.settings))
    click.echo("applied: " + ", ".join(applied) if applied else "schema is current")


@db.command("status")
@pass_context
def db_status(ctx: Context) -> None:
    """Show which migrations are pending."""
    from service.db.migrate import pending_migrations
    from service.runtime import resolve_database_url

    pending = pending_migrations(resolve_database_url(ctx.settings))
    click.echo("pending: " + ", ".join(pending) if pending else "schema is current")


@cli.group()
def tokens() -> None:
    """API tokens (only a hash is stored; the token is shown once)."""


@tokens.command("create")
@click.option("--name", required=True, help="Who or what uses the token.")
@click.option(
    "--role", type=click.Choice(["reader", "editor", "admin"]), default="editor", show_default=True
)
@pass_context
def tokens_create(ctx: Context, name: str, role: str) -> None:
    """Create a token and print it (it cannot be shown again)."""
    from service.access import create_token

    with opened_runtime(ctx.settings) as rt:
        token, row = create_token(rt.pool, name=name, role=role, principal="cli")
    click.echo(token)
    click.echo(f"token #{row.id} ({row.role}) for {row.name!r}; store it now", err=True)


@tokens.command("list")
@pass_context
def tokens_list(ctx: Context) -> None:
    """List tokens (never their values)."""
    from service.db import access
    from service.db.pool import connection

    with opened_runtime(ctx.settings) as rt, connection(rt.pool) as conn:
        for t in access.list_tokens(conn):
            state = "revoked" if t.revoked_at else "active"
            click.echo(f"{t.id}\t{t.prefix}…\t{t.role}\t{state}\t{t.name}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@pass_context
def tokens_revoke(ctx: Context, token_id: int) -> None:
    """Revoke a token by id."""
    from service.access import revoke_token

    with opened_runtime(ctx.settings) as rt:
        revoke_token(rt.pool, token_id, principal="cli")
    click.echo(f"token #{token_id} revoked")


@cli.group()
def users() -> None:
    """Admin-page users."""


@users.command("create")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["admin", "analyst"]), default="analyst", show_default=True
)
@pass_context
def users_create(ctx: Context, username: str, role: str) -> None:
    """Create a user. The password is prompted for on a terminal and read from
    the first line of standard input otherwise; it is never an argument."""
    from service.accounts import create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    with opened_runtime(ctx.settings) as rt:
        user = create_user(
            rt.pool, username=username, password=password, role=role, principal="cli"
        )
    click.echo(f"user {user.username} ({user.role}) created")


@cli.command()
@click.argument("what", type=click.Choice(["stances", "evidence"]))
@click.option("--as-of", "as_of", help="Stances as they stood at the end of this day.")
@click.option("--actor", help="Only this actor.")
@click.option("--topic", help="Only this topic.")
@pass_context
def export(
    ctx: Context, what: str, as_of: str | None, actor: str | None, topic: str | None
) -> None:
    """Write stances (the matrix) or evidence as CSV to standard output."""
    from service.exports import export_csv

    with opened_runtime(ctx.settings) as rt:
        export_csv(rt, what, sys.stdout, as_of=as_of, actor=actor, topic=topic)


def _register_optional() -> None:
    from service.cli_sources import sources
    from service.evaluation import eval_command

    cli.add_command(eval_command)
    cli.add_command(sources)


_register_optional()


def main() -> None:
    """Entry point: domain errors become one line on stderr and exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DemarcheError as exc:
        click.echo(f"demarche: error: {exc.message}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
