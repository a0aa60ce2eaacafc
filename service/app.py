"""The application factory: the only place the web app is wired together."""

from __future__ import annotations

import atexit
import secrets
from datetime import timedelta

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from service.admin import init_admin
from service.api import init_api
from service.db.access import get_or_put_state
from service.db.pool import transaction
from service.observability import init_observability
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
        SECRET_KEY=settings.secret_key or _stored_secret_key(runtime),
        SESSION_COOKIE_NAME="demarche_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.environment == "production",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    )
    app.session_interface = AdminSessions()
    app.extensions[EXTENSION] = runtime
    init_observability(app)
    init_api(app)
    init_admin(app)
    return app


class AdminSessions(SecureCookieSessionInterface):
    """Sessions (the admin page's login and CSRF token) for the admin page only: the
    API authenticates every request by its token, so it neither reads nor sets a
    session cookie (nor pays for one on every read)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.path.startswith("/admin"):
            return None  # Flask uses a null session: empty, and refuses writes
        return super().open_session(app, request)


def _stored_secret_key(runtime: Runtime) -> str:
    """Outside production a missing SECRET_KEY is generated once and kept in the
    database, so every process and restart shares it (production requires one)."""
    with transaction(runtime.pool) as conn:
        return get_or_put_state(conn, "secret_key", secrets.token_urlsafe(48))
