"""Login, logout and users (admin only)."""

from __future__ import annotations

from flask import g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from service import accounts
from service.accounts import TooManyAttempts
from service.admin.blueprint import admin_only, bp
from service.api.context import runtime
from service.db import users
from service.db.pool import connection
from service.errors import Conflict, Unauthorized, ValidationError


def _safe_next(target: str | None) -> str:
    """Only ever redirect within the admin page after login."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.matrix")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("admin/login.html", error=None, next=request.args.get("next"))
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    try:
        user = accounts.authenticate(runtime().pool, username, password)
    except TooManyAttempts as exc:
        return render_template("admin/login.html", error=exc.message, next=None), 429
    except Unauthorized as exc:
        return render_template("admin/login.html", error=exc.message, next=None), 401
    session.clear()  # a new session id on login: no fixation
    session.permanent = True
    session["user_id"] = user.id
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    session.clear()
    return redirect(url_for("admin.login"))


@bp.route("/users", methods=["GET", "POST"])
@admin_only
def user_list() -> ResponseReturnValue:
    message = error = None
    if request.method == "POST":
        try:
            created = accounts.create_user(
                runtime().pool,
                username=request.form.get("username", "").strip(),
                password=request.form.get("password", ""),
                role=request.form.get("role", ""),
                principal=g.principal,
            )
            message = f"User {created.username} created."
        except (ValidationError, Conflict) as exc:
            error = exc.message
    with connection(runtime().pool) as conn:
        everyone = users.list_users(conn)
    status = 422 if error else 200
    return render_template("admin/users.html", users=everyone, message=message, error=error), status
