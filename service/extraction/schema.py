"""marshmallow schemas for actors.yaml and topics.yaml.

Validation lives here so that a typo in the lexicon stops start-up with one line that
names the file and the field, instead of surfacing later as silently missing evidence.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from service.errors import ConfigError

SLUG = validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="must be a lower-case slug")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PersonSchema(_Strict):
    text = fields.String(required=True, validate=validate.Length(min=1))
    valid_from = fields.Date(load_default=None, error_messages={"invalid": "not a date"})
    valid_to = fields.Date(load_default=None, error_messages={"invalid": "not a date"})

    @validates_schema
    def _check_range(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("valid_from"), data.get("valid_to")
        if start is not None and end is not None and end <= start:
            raise ValidationError("must be after valid_from", field_name="valid_to")


def _alias_list() -> fields.List[str]:
    return fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)


class AliasGroupsSchema(_Strict):
    names = _alias_list()
    adjectives = _alias_list()
    metonyms = _alias_list()
    institutions = _alias_list()
    people = fields.List(fields.Nested(PersonSchema), load_default=list)


class ActorSchema(_Strict):
    id = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(min=1))
    kind = fields.String(load_default="state")
    iso3 = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Z]{3}$"))
    aliases = fields.Nested(AliasGroupsSchema, required=True)


class ActorsFileSchema(_Strict):
    actors = fields.List(fields.Nested(ActorSchema), required=True, validate=validate.Length(min=1))


def _check_regex(value: str) -> None:
    """Reject patterns Python cannot compile (macros are replaced by a dummy first)."""
    try:
        re.compile(re.sub(r"\{[a-z0-9-]+\}", "x", value).replace("...", " "))
    except re.error as exc:
        raise ValidationError(f"not a valid pattern ({exc})") from exc


class CueSchema(_Strict):
    id = fields.String(required=True, validate=SLUG)
    polarity = fields.Integer(required=True, validate=validate.OneOf([-1, 1]))
    patterns = fields.List(
        fields.String(validate=[validate.Length(min=1), _check_regex]),
        required=True,
        validate=validate.Length(min=1),
    )
    negatable = fields.Boolean(load_default=True)
    strength = fields.Float(
        load_default=1.0, validate=validate.Range(min=0, max=1, min_inclusive=False)
    )
    holders = fields.List(fields.String(validate=SLUG), load_default=list)
    not_holders = fields.List(fields.String(validate=SLUG), load_default=list)
    context = fields.String(load_default=None, validate=_check_regex)


class TopicSchema(_Strict):
    id = fields.String(required=True, validate=SLUG)
    title = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(required=True)
    direction = fields.String(required=True)
    cues = fields.List(fields.Nested(CueSchema), required=True)


class TopicsFileSchema(_Strict):
    topics = fields.List(fields.Nested(TopicSchema), required=True, validate=validate.Length(min=1))


def first_error(messages: Any, path: str = "") -> tuple[str, str]:
    """Walk marshmallow's nested error dict to the first leaf: ("actors[2].iso3", "message")."""
    if isinstance(messages, dict):
        key = next(iter(messages))
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if path else str(key))
        return first_error(messages[key], path + step)
    if isinstance(messages, list) and messages:
        return first_error(messages[0], path)
    return path or "(file)", str(messages).rstrip(".")


def validate_file(schema: Schema, data: Any, filename: str) -> dict[str, Any]:
    """Load `data` with `schema`, or raise ConfigError naming the file and the field."""
    if not isinstance(data, dict):
        raise ConfigError(f"{filename}: expected a mapping at the top level", field=filename)
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        where, message = first_error(exc.messages)
        raise ConfigError(
            f"{filename}: {where}: {message[:1].lower()}{message[1:]}", field=where
        ) from exc
    return loaded
