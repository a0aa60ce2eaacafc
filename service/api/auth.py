"""Bearer tokens for writes. Tokens are random and long, so a SHA-256 of the
token is a safe thing to store and look up (passwords, being guessable, get
a slow hash instead)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from service.api.context import runtime
from service.db import access
from service.db.pool import connection
from service.errors import Forbidden, Unauthorized

ROLES = ("reader", "editor", "admin")
TOKEN_PREFIX = "dm_"
F = TypeVar("F", bound=Callable[..., Any])


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store for it."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def role_allows(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("an API token is required: send 'Authorization: Bearer <token>'")
    return token.strip()


def require_role(needed: str) -> Callable[[F], F]:
    """Refuse the request unless it carries a valid token with at least ``needed``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = _bearer()
            with connection(runtime().pool) as conn:
                found = access.find_active_token(conn, hash_token(token))
            if found is None:
                raise Unauthorized("the API token is unknown, revoked or expired")
            if not role_allows(found.role, needed):
                raise Forbidden(
                    f"this action needs the {needed!r} role; the token has {found.role!r}"
                )
            g.principal = f"token:{found.name}#{found.id}"
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
