"""Stances for dashboards: the matrix (now or as of a date), one stance with the
evidence that weighs most, its versions, its timeline, and recent changes."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask.views import MethodView

from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.csv_output import csv_response, wants_csv
from service.api.known import check_known, csv_doc
from service.api.memo import BodyMemo, app_memo
from service.api.pagination import decode_id_cursor, page_by_id
from service.api.schemas import (
    ChangesQuery,
    FormatArgs,
    MatrixQuery,
    StanceDetail,
    StanceMatrix,
    Timeline,
    TimelineQuery,
    VersionList,
)
from service.db import stances
from service.db.pool import connection
from service.errors import NotFound, ValidationError
from service.pipeline import scoring_config

blp = Blueprint(
    "stances",
    __name__,
    url_prefix="/api/v1",
    description="Scored, versioned stances per actor and topic.",
)

UNKNOWN = "unknown actor or topic"
MATRIX_SCHEMA, DETAIL_SCHEMA = StanceMatrix(), StanceDetail()


def matrix_bodies() -> BodyMemo:
    """Matrix JSON by stances revision (now) or by content (as of a date)."""
    return app_memo("matrix", MATRIX_SCHEMA)


def detail_bodies() -> BodyMemo:
    """A stance's detail by revision and second (its weights are as of the second)."""
    return app_memo("detail", DETAIL_SCHEMA, size=64)


MATRIX_COLUMNS = [
    "actor_id",
    "topic_id",
    "score",
    "label",
    "confidence",
    "evidence_count",
    "last_evidence_at",
    "version",
    "method",
    "pinned",
]
VERSION_COLUMNS = [
    "version",
    "recorded_at",
    "as_of",
    "score",
    "label",
    "confidence",
    "evidence_count",
    "method",
    "reason",
    "scorer_version",
]
TIMELINE_COLUMNS = ["bucket_start", "bucket_end", "score", "label", "confidence", "evidence_count"]
MAX_BUCKETS = 1000
UNIT_DAYS = {"day": 1, "week": 7, "month": 31}


def end_of_day(moment: datetime) -> datetime:
    """A bare date means 'as it stood at the end of that day' (UTC)."""
    if moment.timetz() == time(tzinfo=UTC):
        return moment + timedelta(days=1) - timedelta(microseconds=1)
    return moment


def _check_pair(conn: Any, actor: str, topic: str) -> None:
    if not stances.all_pairs(conn, actor, topic):
        raise NotFound(f"no stance for actor {actor!r} and topic {topic!r}: {UNKNOWN}")


@blp.route("/stances")
class Matrix(MethodView):
    @blp.arguments(MatrixQuery, location="query")
    @blp.response(200, StanceMatrix)
    @blp.doc(**csv_doc("StanceMatrix"))
    def get(self, args: dict[str, Any]) -> Any:
        """The actor x topic matrix; with `as_of`, computed from the evidence published by then."""
        check_known(args)
        rt = runtime()
        current = args["as_of"] is None and not wants_csv(args["format"])
        key: tuple[tuple[int, str], str | None, str | None] | None = None
        with connection(rt.pool) as conn:
            if current:  # the matrix made at this revision, if any (one PK read)
                key = (stances.stances_revision(conn), args["actor"], args["topic"])
                cached = matrix_bodies().cached(key)
                if cached is not None:
                    return cached
            if args["as_of"] is None:
                items: list[dict[str, Any]] = stances.list_stances(
                    conn, actor=args["actor"], topic=args["topic"]
                )
                as_of = None
            else:
                as_of = end_of_day(args["as_of"])
                pairs = stances.all_pairs(conn, args["actor"], args["topic"])
                scored = stances.score_pairs(
                    conn, pairs, as_of=as_of, config=scoring_config(rt.settings)
                )
                items = [
                    asdict(s)
                    | {"method": "auto", "pinned": False, "version": None, "computed_at": None}
                    for s in scored
                ]
        if wants_csv(args["format"]):
            return csv_response(items, MATRIX_COLUMNS, "stances")
        body = {"as_of": as_of, "items": items, "next_cursor": None}
        # read after the revision, the rows are at least as new as the key they go under
        return matrix_bodies().response(body, key=key)


@blp.route("/stances/<string:actor>/<string:topic>")
class StanceByPair(MethodView):
    @blp.response(200, StanceDetail)
    def get(self, actor: str, topic: str) -> Any:
        """The current stance with the evidence that weighs most in it (kept by its re-score),
        weighed as of the current second."""
        rt = runtime()
        as_of = datetime.now(UTC).replace(microsecond=0)
        with connection(rt.pool) as conn:
            key = (stances.stances_revision(conn), actor, topic, as_of)
            cached = detail_bodies().cached(key)
            if cached is not None:  # made this second, and nothing changed since
                return cached
            found, top = stances.stance_detail(
                conn,
                (actor, topic),
                as_of=as_of,
                config=scoring_config(rt.settings),
                limit=rt.settings.top_evidence,
            )
        if found is None:  # the matrix has a row for every known actor and topic
            raise NotFound(f"no stance for actor {actor!r} and topic {topic!r}: {UNKNOWN}")
        return detail_bodies().response(found | {"top_evidence": top}, key=key)


@blp.route("/stances/<string:actor>/<string:topic>/history")
class History(MethodView):
    @blp.arguments(FormatArgs, location="query")
    @blp.response(200, VersionList)
    @blp.doc(**csv_doc("VersionList"))
    def get(self, args: dict[str, Any], actor: str, topic: str) -> Any:
        """Every version of the stance, oldest first (record time)."""
        with connection(runtime().pool) as conn:
            _check_pair(conn, actor, topic)
            versions = [asdict(v) for v in stances.list_versions(conn, (actor, topic))]
        if wants_csv(args["format"]):
            return csv_response(versions, VERSION_COLUMNS, f"{actor}-{topic}-history")
        return {"items": versions, "next_cursor": None}


@blp.route("/stances/<string:actor>/<string:topic>/timeline")
class TimelineView(MethodView):
    @blp.arguments(TimelineQuery, location="query")
    @blp.response(200, Timeline)
    @blp.doc(**csv_doc("Timeline"))
    def get(self, args: dict[str, Any], actor: str, topic: str) -> Any:
        """The score at the end of each day, week or month (UTC)."""
        rt = runtime()
        unit = args["interval"]
        until = end_of_day(args["until"]) if args["until"] else datetime.now(UTC)
        since = args["since"] or until - timedelta(days=UNIT_DAYS[unit] * 52)
        if since > until:
            raise ValidationError("since must not be after until", field="since")
        if (until - since).days / UNIT_DAYS[unit] > MAX_BUCKETS:
            raise ValidationError(f"at most {MAX_BUCKETS} intervals per request", field="since")
        with connection(rt.pool) as conn:
            _check_pair(conn, actor, topic)
            points = stances.timeline(
                conn,
                (actor, topic),
                unit=unit,
                since=since,
                until=until,
                config=scoring_config(rt.settings),
            )
        if wants_csv(args["format"]):
            return csv_response(points, TIMELINE_COLUMNS, f"{actor}-{topic}-timeline")
        return {
            "actor": actor,
            "topic": topic,
            "interval": unit,
            "items": points,
            "next_cursor": None,
        }


@blp.route("/changes")
class Changes(MethodView):
    @blp.arguments(ChangesQuery, location="query")
    @blp.response(200, VersionList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Stance versions recorded since a time, newest first (for alerts)."""
        check_known(args)
        after_id = decode_id_cursor(args["cursor"])
        limit = args["limit"]
        with connection(runtime().pool) as conn:
            rows = stances.list_changes(
                conn,
                since=args["since"],
                limit=limit + 1,
                after_id=after_id,
                actor=args["actor"],
                topic=args["topic"],
            )
        return page_by_id(rows, limit)
