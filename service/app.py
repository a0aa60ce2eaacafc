"""The application factory: the only place the web app is wired together."""

from __future__ import annotations

import atexit

from flask import Flask

from service.api import init_api
from service.runtime import Runtime, open_runtime, resolve_database_url
from service.settings import Settings, load_settings

EXTENSION = "demarche"


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Flask:
    """Build the app. The database must already be migrated (`prepare_database`)."""
    settings = settings or (runtime.settings if runtime else load_settings())
    if runtime is None:
        runtime = open_runtime(settings, resolve_database_url(settings))
        atexit.register(runtime.close)
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SECRET_KEY=settings.secret_key or None,
        JSON_SORT_KEYS=False,
    )
    app.extensions[EXTENSION] = runtime
    init_api(app)
    return app
