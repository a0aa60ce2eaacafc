"""JSON bodies remembered for reads that repeat, so marshmallow dumps each once.

Dashboards ask for the same stance matrix and the same stances over and over, and
those change only when a re-score or an analyst writes. A body is kept under a key
that changes whenever its content may: the exact serialisation of what it was made
from (the rows' pickle, only ever compared), or a revision number the database bumps
with every change (migration 0006). So a hit is never stale."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import Response, current_app
from marshmallow import Schema

JSON = "application/json"


class BodyMemo:
    """The last ``size`` JSON bodies (with their ETags) made by one schema."""

    def __init__(self, schema: Schema, size: int = 32) -> None:
        self._schema = schema
        self._size = size
        self._bodies: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, key: Hashable) -> Response | None:
        """The body kept under ``key``, if any."""
        with self._lock:
            found = self._bodies.get(key)
            if found is None:
                return None
            self._bodies.move_to_end(key)
        return _respond(found)

    def response(self, payload: Any, key: Hashable | None = None) -> Response:
        """``payload`` dumped by the schema as a JSON response, made once per key
        (by default, per content)."""
        key = pickle.dumps(payload, protocol=5) if key is None else key
        found = self.cached(key)
        if found is not None:
            return found
        made = Response(current_app.json.dumps(self._schema.dump(payload)) + "\n", mimetype=JSON)
        made.add_etag()
        body = (made.get_data(), made.get_etag()[0] or "")
        with self._lock:
            self._bodies[key] = body
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)
        return _respond(body)


def app_memo(name: str, schema: Schema, size: int = 32) -> BodyMemo:
    """The current app's memo of this name: one per app, so apps on two databases
    (as in the tests) never answer from each other's."""
    memos: dict[str, BodyMemo] = current_app.extensions.setdefault("demarche.bodies", {})
    memo = memos.get(name)
    if memo is None:
        memo = memos.setdefault(name, BodyMemo(schema, size))
    return memo


def _respond(body: tuple[bytes, str]) -> Response:
    response = Response(body[0], mimetype=JSON)
    response.set_etag(body[1])
    return response
