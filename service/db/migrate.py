"""Schema migrations: forward-only SQL files in migrations/, applied by yoyo.

yoyo records what it applied in its own tables. Around it we hold a
PostgreSQL advisory lock, so two processes starting at once apply each
migration exactly once: the second waits, then finds nothing left to do."""

from __future__ import annotations

import warnings
from pathlib import Path

import psycopg

from service.db.pool import Connection, translate_errors

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A constant key ("demarche migrate"); never Python's hash(), which varies per process.
MIGRATION_LOCK_KEY = 0x64656D6D69677261


def _yoyo_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in {"postgres", "postgresql", "postgresql+psycopg"}:
        raise ValueError("DATABASE_URL must start with postgresql://")
    return "postgresql+psycopg://" + rest


def _backend_and_migrations(url: str):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from yoyo import get_backend, read_migrations

        return get_backend(_yoyo_url(url)), read_migrations(str(MIGRATIONS_DIR))


def pending_migrations(url: str) -> list[str]:
    """Ids of the migrations not yet applied (empty when the schema is current)."""
    with translate_errors():
        backend, migrations = _backend_and_migrations(url)
        try:
            return [m.id for m in backend.to_apply(migrations)]
        finally:
            backend.connection.close()


def upgrade(url: str) -> list[str]:
    """Apply every pending migration; return the ids applied by this call."""
    with translate_errors(), psycopg.connect(url, autocommit=True) as lock_conn:
        lock_conn.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        backend, migrations = _backend_and_migrations(url)
        try:
            with backend.lock():
                todo = backend.to_apply(migrations)
                backend.apply_migrations(todo)
            return [m.id for m in todo]
        finally:
            backend.connection.close()
            lock_conn.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])


def migration_ids() -> list[str]:
    """The ids of the migrations shipped with this code, in order."""
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("*.sql"))


def applied_migrations(conn: Connection) -> set[str]:
    """The ids yoyo has recorded as applied (empty on a blank database)."""
    exists = conn.execute("SELECT to_regclass('_yoyo_migration') IS NOT NULL AS ok").fetchone()
    if not exists or not exists["ok"]:
        return set()
    rows = conn.execute("SELECT migration_id FROM _yoyo_migration").fetchall()
    return {r["migration_id"] for r in rows}
