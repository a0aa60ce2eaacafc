"""The API's Blueprint: flask-smorest's, with arguments validated strictly.

webargs ignores unknown query parameters by default; ours follow the schema's
`unknown = RAISE`, so a typo such as `?actr=france` is a 422 naming the field
rather than a silently unfiltered answer."""

from __future__ import annotations

from typing import Any

import flask_smorest
from webargs.flaskparser import FlaskParser


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = FlaskParser(unknown=None)

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Any:
        """As flask-smorest's, with the schema made once here: given a class, webargs
        would build a new schema (deep-copying its fields) for every request."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
