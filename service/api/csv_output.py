"""CSV answers: `?format=csv` or `Accept: text/csv`."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Response, request

from service.export import write_csv


def wants_csv(format_arg: str | None) -> bool:
    if format_arg is not None:
        return format_arg == "csv"
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


def csv_response(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], name: str) -> Response:
    buffer = io.StringIO()
    write_csv(rows, columns, buffer)
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
