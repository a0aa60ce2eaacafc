"""Job runs and the advisory locks that make each scheduled job run once."""

from __future__ import annotations

import os
import socket
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from service.db.pool import Connection
from service.db.sql import q


@dataclass(frozen=True)
class JobRun:
    id: int
    job: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, Any]
    error: str | None
    host: str | None
    pid: int | None


def job_lock_key(job: str) -> int:
    """A stable 63-bit key per job name (crc32 is the same in every process, unlike hash())."""
    return (0x6A6F62 << 32) | zlib.crc32(job.encode("utf-8"))


def try_job_lock(conn: Connection, job: str) -> bool:
    row = conn.execute(q("try_job_lock"), {"key": job_lock_key(job)}).fetchone()
    return bool(row and row["locked"])


def release_job_lock(conn: Connection, job: str) -> None:
    conn.execute(q("release_job_lock"), {"key": job_lock_key(job)})


def start_job_run(conn: Connection, job: str) -> JobRun:
    params = {"job": job, "host": socket.gethostname(), "pid": os.getpid()}
    with conn.cursor(row_factory=class_row(JobRun)) as cur:
        row = cur.execute(q("start_job_run"), params).fetchone()
    assert row is not None
    return row


def finish_job_run(
    conn: Connection, run_id: int, *, status: str, counts: dict[str, Any], error: str | None
) -> JobRun:
    params = {"id": run_id, "status": status, "counts": Jsonb(counts), "error": error}
    with conn.cursor(row_factory=class_row(JobRun)) as cur:
        row = cur.execute(q("finish_job_run"), params).fetchone()
    assert row is not None
    return row


def list_job_runs(
    conn: Connection, *, limit: int, job: str | None = None, after_id: int | None = None
) -> list[JobRun]:
    params = {"limit": limit, "job": job, "after_id": after_id}
    with conn.cursor(row_factory=class_row(JobRun)) as cur:
        return cur.execute(q("list_job_runs"), params).fetchall()
