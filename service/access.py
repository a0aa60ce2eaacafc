"""Use cases for API tokens (each one transaction, each audited)."""

from __future__ import annotations

from psycopg_pool import ConnectionPool

from service.api.auth import ROLES, new_token
from service.db import access
from service.db.access import Token
from service.db.pool import transaction
from service.errors import NotFound, ValidationError


def create_token(
    pool: ConnectionPool, *, name: str, role: str, principal: str
) -> tuple[str, Token]:
    """Create a token; the plain token is returned once and never stored."""
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
    if not name.strip():
        raise ValidationError("name must not be empty", field="name")
    token, token_hash = new_token()
    with transaction(pool) as conn:
        row = access.insert_token(
            conn, name=name.strip(), token_hash=token_hash, prefix=token[:7], role=role
        )
        access.insert_audit(
            conn,
            principal=principal,
            action="token.create",
            target_type="token",
            target_id=str(row.id),
            after={"name": row.name, "role": row.role},
        )
    return token, row


def revoke_token(pool: ConnectionPool, token_id: int, *, principal: str) -> Token:
    with transaction(pool) as conn:
        row = access.revoke_token(conn, token_id)
        if row is None:
            raise NotFound(f"no active token with id {token_id}")
        access.insert_audit(
            conn,
            principal=principal,
            action="token.revoke",
            target_type="token",
            target_id=str(token_id),
            before={"revoked": False},
            after={"revoked": True},
        )
    return row
