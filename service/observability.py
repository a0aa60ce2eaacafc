"""Request ids, one JSON log line per request, and the /metrics endpoint."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from service import metrics
from service.api.context import runtime

log = logging.getLogger("demarche.http")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def init_observability(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.add_url_rule("/metrics", "metrics", _metrics)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    metrics.REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    metrics.LATENCY.labels(request.method, endpoint).observe(elapsed)
    metrics.observe_pool(runtime().pool.get_stats())
    response.headers["X-Request-ID"] = g.get("request_id", "")
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 2),
        },
    )
    return response


def _metrics() -> Response:
    return Response(metrics.render(), mimetype="text/plain; version=0.0.4")
