"""Named SQL blocks from queries/*.sql, parsed once.

A block starts with ``-- name: <name>`` followed by one or more comment lines
describing it, then the statement. Parameters use psycopg's ``%(name)s``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import LiteralString, cast

_NAME = re.compile(r"^-- name: ([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


def parse_queries(source: str) -> dict[str, LiteralString]:
    """Split a .sql file into ``{name: statement}``; descriptions are kept in the SQL."""
    parts = _NAME.split(source)
    queries: dict[str, LiteralString] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        statement = body.strip()
        if name in queries:
            raise ValueError(f"duplicate query name {name!r}")
        if not statement or all(line.startswith("--") for line in statement.splitlines()):
            raise ValueError(f"query {name!r} has no statement")
        queries[name] = cast(LiteralString, statement)
    return queries


@cache
def load_queries() -> dict[str, LiteralString]:
    """All named queries of the package, by name (names are unique across files)."""
    queries: dict[str, LiteralString] = {}
    folder = resources.files("service.db") / "queries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        for name, statement in parse_queries(entry.read_text(encoding="utf-8")).items():
            if name in queries:
                raise ValueError(f"duplicate query name {name!r} in {entry.name}")
            queries[name] = statement
    return queries


def q(name: str) -> LiteralString:
    """The statement called ``name``."""
    return load_queries()[name]
