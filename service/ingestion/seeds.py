"""Load seeds/ into an empty database, through the ordinary ingest use case."""

from __future__ import annotations

import logging

from service.db.documents import count_documents
from service.db.pool import connection
from service.ingestion.batch import ingest_paths
from service.runtime import Runtime

log = logging.getLogger(__name__)


def load_seeds_if_empty(rt: Runtime) -> int:
    """Ingest the seeds when no document is stored yet; returns how many were stored."""
    with connection(rt.pool) as conn:
        if count_documents(conn) > 0:
            return 0
    if not rt.settings.seeds_dir.is_dir():
        log.warning("seeds folder %s not found; starting empty", rt.settings.seeds_dir)
        return 0
    report = ingest_paths(rt, [str(rt.settings.seeds_dir)], principal="seed")
    for location, reason in report.failures:
        log.error("seed %s not loaded: %s", location, reason)
    return report.created
