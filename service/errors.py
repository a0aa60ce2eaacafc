"""Domain exceptions. No Flask or psycopg imports: every layer may raise these,
and the API and CLI translate them at their edges."""

from __future__ import annotations

from typing import Any


class DemarcheError(Exception):
    """Base class of every error the service raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class ConfigError(DemarcheError):
    """A setting or a lexicon file is invalid; start-up stops with one clear line."""


class ValidationError(DemarcheError):
    """Input that is well-formed but not acceptable (unknown actor, bad date range, ...)."""


class NotFound(DemarcheError):
    """The named thing does not exist."""


class Conflict(DemarcheError):
    """A uniqueness or state rule would be broken."""


class Unauthorized(DemarcheError):
    """No valid credentials were given."""


class Forbidden(DemarcheError):
    """The credentials are valid but lack the role for this action."""


class Unavailable(DemarcheError):
    """The database (or another dependency) cannot be reached right now."""


class ExtractionError(DemarcheError):
    """Extraction failed for a document; the ingest that called it stores nothing."""


class PreconditionFailed(DemarcheError):
    """The client's If-Match names a version that is no longer current."""
