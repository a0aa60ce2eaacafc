"""The read benchmark's baseline: the least a Flask + psycopg app can do per request.

One primary-key SELECT on `documents` through a psycopg pool, returned as JSON.
Served by gunicorn exactly like `demarche serve` (bench/serving.py):

    DATABASE_URL=... .venv/bin/gunicorn -w 2 -k gthread --threads 4 bench.baseline_app:app
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, abort, jsonify
from flask.typing import ResponseReturnValue
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

app = Flask(__name__)
# gunicorn imports this module in each worker (no preload), so the pool is per process
pool: ConnectionPool = ConnectionPool(
    os.environ["DATABASE_URL"], min_size=1, max_size=10, kwargs={"row_factory": dict_row}
)


@app.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@app.get("/documents/<int:document_id>")
def document(document_id: int) -> ResponseReturnValue:
    with pool.connection() as conn:
        row: dict[str, Any] | None = conn.execute(
            "SELECT id, title, published_at FROM documents WHERE id = %s", (document_id,)
        ).fetchone()
    if row is None:
        abort(404)
    row["published_at"] = row["published_at"].isoformat()
    return jsonify(row)
