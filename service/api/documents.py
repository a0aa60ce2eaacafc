"""Documents: store an article (with its evidence), list and read them."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView

from service import pipeline
from service.api.auth import require_role
from service.api.blueprint import Blueprint
from service.api.context import runtime
from service.api.known import check_known
from service.api.pagination import decode_cursor, page
from service.api.schemas import DocumentList, DocumentOut, DocumentQuery
from service.db import documents, evidence
from service.db.pool import connection
from service.errors import NotFound
from service.ingestion.schema import DocumentIn, NewDocument

blp = Blueprint(
    "documents",
    __name__,
    url_prefix="/api/v1/documents",
    description="Articles and the evidence found in them.",
)


def _document_body(doc: Any, items: list[Any], created: bool | None = None) -> dict[str, Any]:
    body = dict(vars(doc))  # a flat dataclass: no deep copy (asdict) needed
    body["evidence"] = items
    if created is not None:
        body["created"] = created
    return body


@blp.route("")
class Documents(MethodView):
    @blp.arguments(DocumentQuery, location="query")
    @blp.response(200, DocumentList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List documents, newest first (event time), with cursor pagination."""
        check_known(args)
        limit = args["limit"]
        with connection(runtime().pool) as conn:
            rows = documents.list_documents(
                conn,
                limit=limit + 1,
                after=decode_cursor(args["cursor"]),
                since=args["since"],
                until=args["until"],
                actor=args["actor"],
                topic=args["topic"],
                source=args["source"],
            )
        return page(rows, limit)

    @blp.arguments(DocumentIn)
    @blp.response(201, DocumentOut)
    @blp.alt_response(200, schema=DocumentOut, description="The document already existed.")
    @blp.doc(security=[{"bearerAuth": []}])
    @require_role("editor")
    def post(self, new: NewDocument) -> tuple[dict[str, Any], int]:
        """Store a document and its evidence; idempotent on url and on content."""
        rt = runtime()
        result = pipeline.ingest_document(
            rt.pool,
            rt.lexicon,
            new,
            principal=g.principal,
            max_text_chars=rt.settings.max_text_chars,
            request_id=g.get("request_id"),
            near_duplicate_threshold=rt.settings.near_duplicate_threshold,
        )
        body = _document_body(result.document, result.evidence, result.created)
        return body, 201 if result.created else 200


@blp.route("/<int:document_id>")
class DocumentById(MethodView):
    @blp.response(200, DocumentOut)
    def get(self, document_id: int) -> dict[str, Any]:
        """One document with all its evidence (spans index into its text)."""
        with connection(runtime().pool) as conn:
            doc, items = evidence.document_with_evidence(conn, document_id)
        if doc is None:
            raise NotFound(f"document {document_id} does not exist")
        return _document_body(doc, items)
