"""Domain errors and unexpected failures as JSON, in flask-smorest's error shape:
``{"code": 422, "status": "Unprocessable Entity", "message": "...", "errors": {...}}``.
Never an HTML page, never a stack trace."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify

from service import errors

log = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[errors.DemarcheError], int] = {
    errors.ValidationError: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.Unavailable: 503,
    errors.PreconditionFailed: 412,
    errors.ExtractionError: 422,
    errors.ConfigError: 500,
}


def error_response(code: int, message: str, errors_: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
    if errors_:
        body["errors"] = errors_
    response = jsonify(body)
    response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="demarche"'
    if code == 503:
        response.headers["Retry-After"] = "5"
    return response


def _status_for(exc: errors.DemarcheError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return 400


def handle_domain_error(exc: errors.DemarcheError) -> Response:
    code = _status_for(exc)
    field_errors = {"json": {exc.field: [exc.message]}} if exc.field else None
    if code >= 500:
        log.error("request failed: %s", exc.message)
    return error_response(code, exc.message, field_errors)


def handle_unexpected(exc: Exception) -> Response:
    log.exception("unhandled error")
    return error_response(500, "internal error; it has been logged")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(errors.DemarcheError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
