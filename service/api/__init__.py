"""The REST API under /api/v1 (flask-smorest), its OpenAPI document and docs page."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, request, send_from_directory
from flask.typing import ResponseReturnValue
from flask_smorest import Api

from service.api import corrections, documents, health, jobs, reference, sources, stances
from service.api.errors import register_error_handlers

DOCS_ASSETS = "/api/v1/docs/assets/"


def _swagger_ui_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


def init_api(app: Flask) -> None:
    app.config.update(
        API_TITLE="Demarche",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=DOCS_ASSETS,
        API_SPEC_OPTIONS={
            "info": {"description": "Who holds which position, with evidence, over time."},
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api = Api(app)
    for module in (reference, documents, stances, jobs, corrections, sources):
        api.register_blueprint(module.blp)
    app.register_blueprint(health.blp)
    app.register_blueprint(_docs_assets())
    register_error_handlers(app)
    app.after_request(_conditional)


def _docs_assets() -> Blueprint:
    """Swagger UI's files from the swagger-ui-bundle package, so the docs page needs no CDN."""
    assets = Blueprint("docs_assets", __name__)

    @assets.get(DOCS_ASSETS + "<path:filename>")
    def asset(filename: str) -> ResponseReturnValue:
        return send_from_directory(_swagger_ui_dir(), filename, max_age=86400)

    return assets


def _conditional(response: Response) -> Response:
    """ETag on every successful read of the API; If-None-Match then answers 304."""
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and request.path.startswith("/api/v1/")
        and not response.direct_passthrough
    ):
        response.add_etag()
        response.make_conditional(request)
    return response
