"""Actors, topics and evidence."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask.views import MethodView

from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.csv_output import csv_response, wants_csv
from service.api.known import check_known, csv_doc
from service.api.pagination import decode_cursor, page
from service.api.schemas import ActorList, EvidenceList, EvidenceQuery, TopicList
from service.db import evidence, lexicon
from service.db.pool import connection

EVIDENCE_COLUMNS = [
    "id",
    "document_id",
    "published_at",
    "actor_id",
    "topic_id",
    "polarity",
    "strength",
    "confidence",
    "rejected",
    "speaker",
    "quote",
    "cue_ids",
    "char_start",
    "char_end",
]

blp = Blueprint(
    "reference",
    __name__,
    url_prefix="/api/v1",
    description="Actors, topics and the evidence that links them.",
)


@blp.route("/actors")
class Actors(MethodView):
    @blp.response(200, ActorList)
    def get(self) -> dict[str, Any]:
        """All actors with their aliases (from config/actors.yaml)."""
        with connection(runtime().pool) as conn:
            return {"items": lexicon.list_actors(conn), "next_cursor": None}


@blp.route("/topics")
class Topics(MethodView):
    @blp.response(200, TopicList)
    def get(self) -> dict[str, Any]:
        """All topics with the direction that +1 means."""
        with connection(runtime().pool) as conn:
            return {"items": lexicon.list_topics(conn), "next_cursor": None}


@blp.route("/evidence")
class EvidenceItems(MethodView):
    @blp.arguments(EvidenceQuery, location="query")
    @blp.response(200, EvidenceList)
    @blp.doc(**csv_doc("EvidenceList"))
    def get(self, args: dict[str, Any]) -> Any:
        """Evidence by actor, topic and event time, newest first."""
        check_known(args)
        limit = args["limit"]
        with connection(runtime().pool) as conn:
            rows = evidence.list_evidence(
                conn,
                limit=limit + 1,
                after=decode_cursor(args["cursor"]),
                actor=args["actor"],
                topic=args["topic"],
                since=args["since"],
                until=args["until"],
            )
        body = page(rows, limit)
        if wants_csv(args["format"]):
            response = csv_response(
                [asdict(r) for r in body["items"]], EVIDENCE_COLUMNS, "evidence"
            )
            if body["next_cursor"]:
                response.headers["X-Next-Cursor"] = body["next_cursor"]
            return response
        return body
