"""Filters naming an actor or topic must name one that exists (a 422 otherwise,
rather than an empty list that looks like 'no data')."""

from __future__ import annotations

from typing import Any

from service.api.context import runtime
from service.errors import ValidationError


def csv_doc(schema_name: str) -> dict[str, Any]:
    """OpenAPI for a read that answers JSON (the named schema) or CSV."""
    json_body = {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
    csv_body = {"schema": {"type": "string"}}
    content = {"application/json": json_body, "text/csv": csv_body}
    return {"responses": {"200": {"description": "OK", "content": content}}}


def check_known(args: dict[str, Any]) -> None:
    lexicon = runtime().lexicon
    actor, topic = args.get("actor"), args.get("topic")
    if actor is not None and actor not in {a.id for a in lexicon.actors}:
        raise ValidationError(f"unknown actor {actor!r}", field="actor")
    if topic is not None and topic not in {t.id for t in lexicon.topics}:
        raise ValidationError(f"unknown topic {topic!r}", field="topic")
