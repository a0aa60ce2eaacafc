"""Scheduled jobs: recent runs, next run times, and a re-score on demand."""

from __future__ import annotations

import time
from typing import Any

from flask.views import MethodView

from service.api.auth import require_role
from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.pagination import decode_id_cursor, page_by_id
from service.api.schemas import JobRunOut, JobsOut, PageArgs, RescoreArgs
from service.db import jobs
from service.db.pool import connection
from service.errors import Conflict
from service.scheduler import full_rescore_job, next_run_times, rescore_job, run_job

LOCK_TRIES = 10
LOCK_WAIT_SECONDS = 0.5

blp = Blueprint(
    "jobs", __name__, url_prefix="/api/v1/jobs", description="Scheduled jobs and their runs."
)


@blp.route("")
class Jobs(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, JobsOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Recent job runs, newest first, and when each job runs next."""
        rt = runtime()
        limit = args["limit"]
        after_id = decode_id_cursor(args["cursor"])
        with connection(rt.pool) as conn:
            runs = jobs.list_job_runs(conn, limit=limit + 1, after_id=after_id)
            last = {r.job: r.started_at for r in reversed(jobs.list_job_runs(conn, limit=200))}
        return page_by_id(runs, limit) | {"next_run_times": next_run_times(rt, last)}


@blp.route("/rescore")
class Rescore(MethodView):
    @blp.arguments(RescoreArgs, location="query")
    @blp.response(200, JobRunOut)
    @blp.alt_response(409, description="Another process is running this job right now.")
    @blp.doc(security=[{"bearerAuth": []}])
    @require_role("editor")
    def post(self, args: dict[str, Any]) -> Any:
        """Re-score now (the due pairs, or every pair with `full=true`); returns the run."""
        rt = runtime()
        name, function = (
            ("rescore-full", full_rescore_job) if args["full"] else ("rescore", rescore_job)
        )
        for _ in range(LOCK_TRIES):  # a scheduled run holds the lock for a moment at most
            run = run_job(rt, name, function)
            if run is not None:
                return run
            time.sleep(LOCK_WAIT_SECONDS)
        raise Conflict(f"job {name!r} is running in another process; try again shortly")
