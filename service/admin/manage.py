"""Operations pages: job runs and the audit log."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from service.admin.blueprint import bp
from service.api.context import runtime
from service.db import access, jobs
from service.db.pool import connection


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
