"""Request ids, JSON logs and Prometheus metrics."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from service.logs import configure_logging


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("INFO", json_format=True, stream=stream)
    yield stream
    root.handlers[:] = saved
    root.setLevel(level)


def test_request_id_is_echoed_or_made(client: FlaskClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["X-Request-ID"]) == 32


def test_logs_are_json_with_the_request_id(client: FlaskClient, json_logs: io.StringIO) -> None:
    client.get("/api/v1/topics", headers={"X-Request-ID": "req-42"})
    err = json_logs.getvalue().splitlines()
    lines = [json.loads(line) for line in err if line.startswith("{")]
    record = next((r for r in lines if r.get("path") == "/api/v1/topics"), None)
    assert record is not None, err
    assert record["request_id"] == "req-42" and record["status"] == 200
    assert record["level"] == "INFO" and record["duration_ms"] >= 0


def test_metrics_count_requests_ingests_and_pool(client: FlaskClient, editor_headers) -> None:  # type: ignore[no-untyped-def]
    client.get("/api/v1/topics")
    client.post(
        "/api/v1/documents",
        headers=editor_headers,
        json={
            "title": "t",
            "published_at": "2023-01-01",
            "text": "The Kremlin said Russia rejects peace talks.",
        },
    )
    body = client.get("/metrics").get_data(as_text=True)
    counted = 'demarche_http_requests_total{endpoint="/api/v1/topics",method="GET",status="200"}'
    assert counted in body
    assert "demarche_http_request_duration_seconds_bucket" in body
    assert 'demarche_documents_ingested_total{result="created"}' in body
    assert "demarche_pool_connections " in body or "demarche_pool_connections{" in body
