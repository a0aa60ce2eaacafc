"""The admin page: server-rendered, session login, CSRF on every form."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect

from service.admin import auth, manage, views
from service.admin.blueprint import bp

csrf = CSRFProtect()

SECURITY_HEADERS = {
    # No inline scripts, nothing from elsewhere: article text can never run.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def init_admin(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in the blueprint only
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # tokens live as long as the session
    csrf.init_app(app)
    for module in (auth, views, manage):  # routes attach to the blueprint on import
        assert module.bp is bp
    app.register_blueprint(bp)
    app.after_request(_security_headers)


def _security_headers(response: Response) -> Response:
    if request.path.startswith("/admin"):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
    return response
