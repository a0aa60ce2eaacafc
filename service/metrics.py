"""Prometheus metrics (process-wide counters; no Flask here).

Under gunicorn, `demarche serve` sets PROMETHEUS_MULTIPROC_DIR before any worker
starts, so /metrics adds up every worker's values (prometheus_client's
multiprocess mode)."""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "demarche_http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "demarche_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "endpoint"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
INGESTED = Counter(
    "demarche_documents_ingested_total", "Documents through the ingest use case", ["result"]
)
EVIDENCE = Counter("demarche_evidence_stored_total", "Evidence items stored at ingest")
JOB_RUNS = Counter("demarche_job_runs_total", "Scheduled job runs", ["job", "status"])
POOL_SIZE = Gauge(
    "demarche_pool_connections", "Connections open in the pool", multiprocess_mode="livesum"
)
POOL_IDLE = Gauge(
    "demarche_pool_connections_idle", "Idle connections in the pool", multiprocess_mode="livesum"
)
POOL_WAITING = Gauge(
    "demarche_pool_requests_waiting",
    "Requests waiting for a connection",
    multiprocess_mode="livesum",
)


def render() -> bytes:
    """The metrics of this process, or of every worker in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()


_pool_seen: list[tuple[int, int, int]] = []


def observe_pool(stats: dict[str, int]) -> None:
    """Record the pool's gauges (after each request): written only when they changed,
    as each write is a file write in multiprocess mode."""
    now = (
        stats.get("pool_size", 0),
        stats.get("pool_available", 0),
        stats.get("requests_waiting", 0),
    )
    if _pool_seen and _pool_seen[0] == now:
        return
    POOL_SIZE.set(now[0])
    POOL_IDLE.set(now[1])
    POOL_WAITING.set(now[2])
    _pool_seen[:] = [now]
