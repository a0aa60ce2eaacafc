"""Operations pages: sources, job runs and the audit log."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask.typing import ResponseReturnValue

from service.admin.blueprint import bp
from service.api.context import runtime
from service.db import access, jobs
from service.db.pool import connection
from service.errors import DemarcheError, ValidationError
from service.ingestion import sources as source_cases
from service.runtime import Runtime


@bp.get("/jobs")
def job_runs() -> ResponseReturnValue:
    with connection(runtime().pool) as conn:
        runs = jobs.list_job_runs(conn, limit=100, job=request.args.get("job") or None)
    return render_template("admin/jobs.html", runs=runs)


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    with connection(runtime().pool) as conn:
        rows = access.list_audit(conn, limit=200)
    return render_template("admin/audit.html", rows=rows)


@bp.route("/sources", methods=["GET", "POST"])
def sources() -> ResponseReturnValue:
    """Feeds and inbox folders: list, add, poll now, remove."""
    rt = runtime()
    message = error = None
    if request.method == "POST":
        try:
            message = _source_action(rt, request.form)
        except DemarcheError as exc:
            error = exc.message
    rows = source_cases.list_sources(rt.pool, limit=500)
    return render_template(
        "admin/sources.html",
        sources=rows,
        message=message,
        error=error,
        default_interval=rt.settings.source_poll_interval_seconds,
    ), (422 if error else 200)


def _source_action(rt: Runtime, form: Any) -> str:
    action = form.get("action", "")
    if action == "add":
        kind = form.get("kind", "")
        target = form.get("target", "").strip()
        created = source_cases.create_source(
            rt.pool,
            kind=kind,
            url=target if kind == "feed" else None,
            path=target if kind == "inbox" else None,
            name=form.get("name") or None,
            poll_interval_seconds=rt.settings.source_poll_interval_seconds,
            principal=g.principal,
        )
        return f"Source {created.name} added."
    source_id = _source_id(form.get("source_id", ""))
    if action == "remove":
        gone = source_cases.delete_source(rt.pool, source_id, principal=g.principal)
        return f"Source {gone.name} removed; its documents stay."
    if action == "poll":
        result = source_cases.poll_source_now(rt, source_id, principal=g.principal)
        counts = ", ".join(f"{k} {v}" for k, v in result.tally.as_counts().items())
        return f"Polled {result.source.name}: " + (result.error or counts or "nothing new")
    raise ValidationError("unknown action", field="action")


def _source_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError("no such source", field="source_id")
    return int(raw)
