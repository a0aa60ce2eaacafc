"""What a process needs to work: settings, the database URL, a pool, the lexicon.

`prepare_database` is the start-up sequence shared by `serve`, the CLI and
tests: start the embedded server if no DATABASE_URL is set, migrate, and
synchronise the lexicon into the reference tables."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from psycopg_pool import ConnectionPool

from service.db import lexicon as lexicon_db
from service.db.embedded import start_embedded
from service.db.migrate import upgrade
from service.db.pool import open_pool, transaction
from service.extraction import Lexicon, load_lexicon
from service.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    database_url: str
    lexicon: Lexicon
    pool: ConnectionPool = field(repr=False)

    def close(self) -> None:
        self.pool.close()


def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when given; otherwise the embedded server's URL (started if needed)."""
    if settings.database_url:
        return settings.database_url
    return start_embedded(settings.pgdata)


def prepare_database(settings: Settings) -> tuple[str, Lexicon]:
    """Start/locate the database, apply migrations, load the lexicon into it."""
    lexicon = load_lexicon(settings.config_dir)
    url = resolve_database_url(settings)
    applied = upgrade(url)
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    pool = open_pool(url, min_size=1, max_size=2, timeout=settings.pool_timeout_seconds)
    try:
        with transaction(pool) as conn:
            lexicon_db.sync_lexicon(conn, lexicon)
    finally:
        pool.close()
    return url, lexicon


def open_runtime(settings: Settings, database_url: str, lexicon: Lexicon | None = None) -> Runtime:
    """A runtime on an already prepared database (one pool per process, opened here)."""
    pool = open_pool(
        database_url,
        min_size=settings.pool_min_size,
        max_size=settings.pool_max_size,
        timeout=settings.pool_timeout_seconds,
    )
    return Runtime(
        settings=settings,
        database_url=database_url,
        lexicon=lexicon or load_lexicon(settings.config_dir),
        pool=pool,
    )
