"""Actors, topics and evidence."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.known import check_known
from service.api.pagination import decode_cursor, page
from service.api.schemas import ActorList, EvidenceList, EvidenceQuery, TopicList
from service.db import evidence, lexicon
from service.db.pool import connection

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
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
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
        return page(rows, limit)
