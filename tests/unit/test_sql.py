from __future__ import annotations

import pytest

from service.db.sql import load_queries, parse_queries


def test_every_query_file_parses_with_unique_names() -> None:
    queries = load_queries()
    assert "insert_document_checking_near_duplicates" in queries and "list_documents" in queries
    assert all(statement.strip() for statement in queries.values())


def test_parser_rejects_duplicates_and_empty_blocks() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        parse_queries("-- name: a\nSELECT 1\n-- name: a\nSELECT 2\n")
    with pytest.raises(ValueError, match="no statement"):
        parse_queries("-- name: a\n-- only a comment\n")
    assert parse_queries("-- name: a\n-- says why\nSELECT 1\n") == {"a": "-- says why\nSELECT 1"}
