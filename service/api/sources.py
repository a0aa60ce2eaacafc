"""Sources: the feeds and inbox folders the scheduler polls; add, change, remove, poll now."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.api.auth import require_role
from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.pagination import decode_id_cursor, page_by_id
from service.api.schemas import PageArgs, StrictSchema
from service.db.sources import Source, SourceChanges
from service.ingestion import sources

blp = Blueprint(
    "sources",
    __name__,
    url_prefix="/api/v1/sources",
    description="Feeds and inbox folders polled for new articles.",
)

INTERVAL = validate.Range(10, 604800)
WEIGHT = validate.Range(0, 10)


class SourceIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(sources.KINDS))
    url = fields.URL(schemes={"http", "https"}, validate=validate.Length(max=2048))
    path = fields.String(validate=validate.Length(min=1, max=4096))
    name = fields.String(validate=validate.Length(max=200))
    poll_interval_seconds = fields.Integer(validate=INTERVAL)
    source_weight = fields.Float(load_default=1.0, validate=WEIGHT)
    enabled = fields.Boolean(load_default=True)

    @validates_schema
    def one_location(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["kind"] == "feed" and ("url" not in data or "path" in data):
            raise ValidationError("a feed needs a url (and no path)", field_name="url")
        if data["kind"] == "inbox" and ("path" not in data or "url" in data):
            raise ValidationError("an inbox needs a path (and no url)", field_name="path")


class SourcePatch(StrictSchema):
    url = fields.URL(schemes={"http", "https"}, validate=validate.Length(max=2048))
    path = fields.String(validate=validate.Length(min=1, max=4096))
    name = fields.String(validate=validate.Length(max=200))
    poll_interval_seconds = fields.Integer(validate=INTERVAL)
    source_weight = fields.Float(validate=WEIGHT)
    enabled = fields.Boolean()


class SourceOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    url = fields.String(allow_none=True)
    path = fields.String(allow_none=True)
    name = fields.String()
    enabled = fields.Boolean()
    poll_interval_seconds = fields.Integer()
    source_weight = fields.Float()
    etag = fields.String(allow_none=True)
    last_modified = fields.String(allow_none=True)
    last_polled_at = fields.DateTime(allow_none=True)
    last_success_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    consecutive_failures = fields.Integer()
    next_poll_at = fields.DateTime()
    created_at = fields.DateTime()


class SourceList(Schema):
    items = fields.List(fields.Nested(SourceOut))
    next_cursor = fields.String(allow_none=True)


class PollOut(Schema):
    source = fields.Nested(SourceOut)
    not_modified = fields.Boolean()
    error = fields.String(allow_none=True)
    fetched = fields.Integer()
    new = fields.Integer()
    duplicate = fields.Integer()
    near_duplicate = fields.Integer()
    failed = fields.Integer()
    errors = fields.List(fields.String())


@blp.route("")
class Sources(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SourceList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Every source, in the order added, with its poll state."""
        limit = args["limit"]
        rows = sources.list_sources(
            runtime().pool, limit=limit + 1, after_id=decode_id_cursor(args["cursor"])
        )
        return page_by_id(rows, limit)

    @blp.arguments(SourceIn)
    @blp.response(201, SourceOut)
    @blp.alt_response(409, description="A source with this url or path already exists.")
    @blp.doc(security=[{"bearerAuth": []}])
    @require_role("editor")
    def post(self, data: dict[str, Any]) -> Source:
        """Add a feed (`{"kind": "feed", "url": ...}`) or an inbox folder
        (`{"kind": "inbox", "path": "/absolute/folder"}`); it is due for polling at once."""
        rt = runtime()
        return sources.create_source(
            rt.pool,
            kind=data["kind"],
            url=data.get("url"),
            path=data.get("path"),
            name=data.get("name"),
            poll_interval_seconds=data.get(
                "poll_interval_seconds", rt.settings.source_poll_interval_seconds
            ),
            source_weight=data["source_weight"],
            enabled=data["enabled"],
            principal=g.principal,
            request_id=g.get("request_id"),
        )


@blp.route("/<int:source_id>")
class SourceById(MethodView):
    @blp.response(200, SourceOut)
    def get(self, source_id: int) -> Source:
        """One source and its poll state."""
        return sources.get_source(runtime().pool, source_id)

    @blp.arguments(SourcePatch)
    @blp.response(200, SourceOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @require_role("editor")
    def patch(self, data: dict[str, Any], source_id: int) -> Source:
        """Change a source: name, url (feed) or path (inbox), interval, weight, enabled."""
        return sources.update_source(
            runtime().pool,
            source_id,
            SourceChanges(**data),
            principal=g.principal,
            request_id=g.get("request_id"),
        )

    @blp.response(204)
    @blp.doc(security=[{"bearerAuth": []}])
    @require_role("editor")
    def delete(self, source_id: int) -> None:
        """Remove a source; the documents it brought stay."""
        sources.delete_source(
            runtime().pool, source_id, principal=g.principal, request_id=g.get("request_id")
        )


@blp.route("/<int:source_id>/poll")
class PollNow(MethodView):
    @blp.response(200, PollOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @require_role("editor")
    def post(self, source_id: int) -> dict[str, Any]:
        """Poll this source now; answers with what the poll fetched, stored and why
        anything failed (a failing source answers 200 with `error` set)."""
        result = sources.poll_source_now(
            runtime(), source_id, principal=g.principal, request_id=g.get("request_id")
        )
        return {
            "source": result.source,
            "not_modified": result.not_modified,
            "error": result.error,
            **result.tally.as_counts(),
        }
