"""Analysts' corrections over REST (editor or admin token), and the audit log."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask.views import MethodView

from service import corrections
from service.api.auth import require_role
from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.pagination import decode_id_cursor, page_by_id
from service.api.schemas import (
    AuditList,
    AuditQuery,
    EvidenceCorrectionIn,
    EvidenceOut,
    PinIn,
    PinOut,
    ReleaseIn,
    ReleaseOut,
)
from service.db import access
from service.db.pool import connection
from service.errors import ValidationError

blp = Blueprint(
    "corrections",
    __name__,
    url_prefix="/api/v1",
    description="Analysts' corrections of evidence and stances; the audit log.",
)
AUTH: list[dict[str, list[str]]] = [{"bearerAuth": []}]


@blp.route("/corrections/evidence/<int:evidence_id>")
class EvidenceCorrection(MethodView):
    @blp.arguments(EvidenceCorrectionIn)
    @blp.response(200, EvidenceOut)
    @blp.doc(security=AUTH)
    @require_role("editor")
    def post(self, body: dict[str, Any], evidence_id: int) -> Any:
        """Reject an evidence item, change its actor/topic/polarity, or restore it."""
        return corrections.correct_evidence(
            runtime().pool,
            evidence_id,
            principal=g.principal,
            request_id=g.get("request_id"),
            **body,
        )


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().strip('"').removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ValidationError("If-Match must be the stance's version number", field="If-Match")
    return int(value)


@blp.route("/corrections/stances/<string:actor>/<string:topic>")
class StancePin(MethodView):
    @blp.arguments(PinIn)
    @blp.response(200, PinOut)
    @blp.doc(security=AUTH)
    @require_role("editor")
    def put(self, body: dict[str, Any], actor: str, topic: str) -> Any:
        """Pin a stance's score and label (`If-Match: <version>` guards against races)."""
        return corrections.pin_stance(
            runtime().pool,
            actor,
            topic,
            principal=g.principal,
            expected_version=_if_match(),
            request_id=g.get("request_id"),
            **body,
        )

    @blp.arguments(ReleaseIn)
    @blp.response(200, ReleaseOut)
    @blp.doc(security=AUTH)
    @require_role("editor")
    def delete(self, body: dict[str, Any], actor: str, topic: str) -> Any:
        """Release a pin: the machine's view is in force again."""
        return corrections.release_stance(
            runtime().pool,
            actor,
            topic,
            principal=g.principal,
            request_id=g.get("request_id"),
            **body,
        )


@blp.route("/audit")
class Audit(MethodView):
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditList)
    @blp.doc(security=AUTH)
    @require_role("reader")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Every write by a person or token, newest first."""
        limit = args["limit"]
        with connection(runtime().pool) as conn:
            rows = access.list_audit(
                conn,
                limit=limit + 1,
                after_id=decode_id_cursor(args["cursor"]),
                target_type=args["target_type"],
            )
        return page_by_id(rows, limit)
