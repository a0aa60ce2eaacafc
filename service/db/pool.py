"""The connection pool and the one place transactions begin and errors are translated."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from service.errors import Conflict, Unavailable, ValidationError

Connection = psycopg.Connection[Any]


def open_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 10
) -> ConnectionPool:
    """A pool that checks connections before lending them, opened now (never at import).

    Connections are in autocommit mode: a read (``connection``) costs its statements
    and no COMMIT round trip; a write (``transaction``) runs in BEGIN ... COMMIT."""
    pool: ConnectionPool = ConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        timeout=timeout,
        open=False,
        check=check_idle_connection,
        kwargs={"row_factory": dict_row, "autocommit": True},
        name="demarche",
    )
    pool.open(wait=False)
    return pool


def check_idle_connection(conn: Connection) -> None:
    """Raise if a pooled connection is broken, without a round trip when it looks sound.

    An idle connection has nothing to read: a server that shut down or dropped it
    has left an error message or end-of-file on its socket, so a readable socket
    (or a closed one) is checked for real (and replaced by the pool if it fails).
    A connection cut without a word (a network partition) fails its next statement
    instead: that request gets a 503 and the pool replaces the connection."""
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver errors into domain errors, keeping the constraint that fired."""
    try:
        yield
    except pg_errors.UniqueViolation as exc:
        constraint = exc.diag.constraint_name or "unique"
        raise Conflict(f"already exists ({constraint})", constraint=constraint) from exc
    except pg_errors.ForeignKeyViolation as exc:
        raise ValidationError(
            f"refers to something that does not exist ({exc.diag.constraint_name})"
        ) from exc
    except pg_errors.CheckViolation as exc:
        raise ValidationError(f"value out of range ({exc.diag.constraint_name})") from exc
    except psycopg.DataError as exc:  # e.g. a NUL character, a number out of range
        raise ValidationError(f"a value is not acceptable: {exc}") from exc
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise Unavailable("the database is unavailable; try again shortly") from exc


@contextmanager
def transaction(pool: ConnectionPool) -> Iterator[Connection]:
    """One unit of work: commit when the block ends, roll back on any exception."""
    with translate_errors(), pool.connection() as conn, conn.transaction():
        yield conn


@contextmanager
def connection(pool: ConnectionPool) -> Iterator[Connection]:
    """A connection for reads: each statement on its own (autocommit), no transaction
    to commit; what must be atomic or see one snapshot goes through ``transaction``."""
    with translate_errors(), pool.connection() as conn:
        yield conn
