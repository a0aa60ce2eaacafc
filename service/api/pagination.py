"""Opaque keyset cursors: (published_at, id) of the last item of a page."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from service.errors import ValidationError


class Keyed(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def published_at(self) -> datetime: ...


def encode_cursor(published_at: datetime, item_id: int) -> str:
    raw = json.dumps([published_at.isoformat(), item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, item_id = json.loads(raw)
        when = datetime.fromisoformat(stamp)
        if not isinstance(item_id, int) or when.tzinfo is None:
            raise ValueError
    except (ValueError, TypeError, json.JSONDecodeError):
        raise ValidationError("cursor is not one this API gave out", field="cursor") from None
    return when, item_id


def page(items: Sequence[Keyed], limit: int) -> dict[str, Any]:
    """The list envelope; the query fetched ``limit + 1`` rows to know if more exist."""
    shown = list(items[:limit])
    more = len(items) > limit
    last = shown[-1] if shown else None
    cursor = encode_cursor(last.published_at, last.id) if more and last else None
    return {"items": shown, "next_cursor": cursor}


def decode_id_cursor(cursor: str | None) -> int | None:
    """Cursors of lists ordered by id alone are the last id, as a string."""
    if cursor is None:
        return None
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 18:
        raise ValidationError("cursor is not one this API gave out", field="cursor")
    return int(cursor)


def page_by_id(rows: Sequence[Any], limit: int) -> dict[str, Any]:
    """The list envelope for lists ordered by id, newest first (``limit + 1`` fetched)."""
    shown = list(rows[:limit])
    last = shown[-1] if shown and len(rows) > limit else None
    last_id = None if last is None else (last["id"] if isinstance(last, dict) else last.id)
    return {"items": shown, "next_cursor": None if last_id is None else str(last_id)}
