"""Access to the process's runtime from inside a request."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import current_app

if TYPE_CHECKING:
    from service.runtime import Runtime


def runtime() -> Runtime:
    return cast("Runtime", current_app.extensions["demarche"])
