"""JSON bodies remembered by content, for reads that repeat between re-scores.

The stance matrix is the dashboards' hottest read and changes only when a re-score
or an analyst writes: most requests dump the very same rows through marshmallow.
A body is kept under an exact serialisation of what it was made from (the rows'
pickle, which changes whenever any value does), so a hit can never be stale; the
database is still read on every request. The key is only compared, never loaded."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from typing import Any

from flask import Response, current_app
from marshmallow import Schema

JSON = "application/json"


class BodyMemo:
    """The last ``size`` JSON bodies (with their ETags) made by one schema."""

    def __init__(self, schema: Schema, size: int = 32) -> None:
        self._schema = schema
        self._size = size
        self._bodies: OrderedDict[bytes, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def response(self, payload: Any) -> Response:
        """``payload`` dumped by the schema as a JSON response, made once per content."""
        key = pickle.dumps(payload, protocol=5)
        with self._lock:
            found = self._bodies.get(key)
            if found is not None:
                self._bodies.move_to_end(key)
        if found is None:
            made = Response(
                current_app.json.dumps(self._schema.dump(payload)) + "\n", mimetype=JSON
            )
            made.add_etag()
            found = (made.get_data(), made.get_etag()[0] or "")
            with self._lock:
                self._bodies[key] = found
                while len(self._bodies) > self._size:
                    self._bodies.popitem(last=False)
        response = Response(found[0], mimetype=JSON)
        response.set_etag(found[1])
        return response
