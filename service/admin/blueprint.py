"""The admin blueprint, its login guard, CSRF check and HTML error pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from service import accounts
from service.api.context import runtime
from service.errors import DemarcheError, Forbidden, NotFound, Unauthorized, ValidationError

bp = Blueprint(
    "admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static"
)
F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = {"admin.login", "admin.static"}


@bp.before_request
def guard() -> ResponseReturnValue | None:
    """Every page but the login needs a live session; every POST a CSRF token."""
    if request.method == "POST":
        from service.admin import csrf

        csrf.protect()
    if request.endpoint in PUBLIC:
        return None
    user_id = session.get("user_id")
    user = accounts.active_user(runtime().pool, user_id) if isinstance(user_id, int) else None
    if user is None:
        session.clear()
        return redirect(url_for("admin.login", next=request.full_path))
    g.user = user
    g.principal = f"user:{user.username}"
    return None


def admin_only(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        accounts.require_admin(g.user)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@bp.app_context_processor
def template_globals() -> dict[str, Any]:
    return {"csrf_token": generate_csrf, "now": datetime.now(UTC)}


def _error_page(status: int, message: str) -> ResponseReturnValue:
    return render_template("admin/error.html", status=status, message=message), status


@bp.errorhandler(CSRFError)
def csrf_error(exc: CSRFError) -> ResponseReturnValue:
    return _error_page(
        400, f"The form was refused: {exc.description}. Reload the page and try again."
    )


@bp.errorhandler(DemarcheError)
def domain_error(exc: DemarcheError) -> ResponseReturnValue:
    status = {NotFound: 404, Forbidden: 403, Unauthorized: 401, ValidationError: 422}.get(
        type(exc), 400
    )
    return _error_page(status, exc.message)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> ResponseReturnValue:
    return _error_page(exc.code or 500, exc.description or "error")
