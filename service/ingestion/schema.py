"""The one schema for an incoming document, shared by the REST API and `demarche ingest`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate


@dataclass(frozen=True)
class NewDocument:
    title: str
    text: str
    published_at: datetime
    url: str | None = None
    source: str | None = None
    language: str | None = None
    raw_html: str | None = None


class EventTime(fields.Field[datetime]):
    """A date (``2023-04-06``) or an ISO 8601 date-time; naive values are UTC."""

    default_error_messages = {  # noqa: RUF012 - marshmallow's own convention
        "invalid": "Not a valid date or date-time (use YYYY-MM-DD or ISO 8601).",
        "range": "Must be between 1900-01-01 and tomorrow.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str) or not 8 <= len(value) <= 40:
            raise self.make_error("invalid")
        try:
            if len(value) == 10:
                parsed = datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
            else:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self.make_error("invalid") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if parsed.year < 1900:
            raise self.make_error("range")
        return parsed

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else value.isoformat()


class DocumentIn(Schema):
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    text = fields.String(required=True, validate=validate.Length(min=1))
    published_at = EventTime(required=True)
    url = fields.URL(
        load_default=None,
        allow_none=True,
        schemes={"http", "https"},
        validate=validate.Length(max=2048),
    )
    source = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    language = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", error="Not a language tag."
        ),
    )

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> NewDocument:
        return NewDocument(**data)


def parse_document(data: Any) -> NewDocument:
    """Validate one document mapping; raises marshmallow.ValidationError naming the fields."""
    if not isinstance(data, dict):
        raise ValidationError("Expected a JSON object.")
    result: NewDocument = DocumentIn().load(data)
    return result
