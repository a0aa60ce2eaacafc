"""Liveness and readiness, outside the versioned API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.api.context import runtime
from service.api.errors import error_response
from service.db.migrate import applied_migrations, migration_ids
from service.db.pool import connection
from service.errors import Unavailable

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz() -> dict[str, Any]:
    """The process is up (says nothing about the database)."""
    return {"status": "ok"}


@blp.get("/readyz")
def readyz() -> Any:
    """The database answers and every migration is applied."""
    try:
        with connection(runtime().pool) as conn:
            missing = sorted(set(migration_ids()) - applied_migrations(conn))
    except Unavailable as exc:
        return error_response(503, f"not ready: {exc.message}")
    if missing:
        return error_response(503, f"not ready: migrations not applied: {', '.join(missing)}")
    return {"status": "ready", "database": "ok", "migrations": "current"}
