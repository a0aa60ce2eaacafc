"""Schemathesis against /api/v1/openapi.json: every operation, a bounded number of
generated requests each (authenticated with an admin token), no 5xx, and every
response must match the spec.

The operations are driven from one test (not schemathesis' pytest plugin, whose
lazy fixture loader does not yet support pytest 9), each with its own
Hypothesis run, so a failure names the operation and the request."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service import pipeline
from service.ingestion.batch import ingest_paths
from service.runtime import Runtime
from service.settings import PROJECT_ROOT

MAX_EXAMPLES = int(os.environ.get("DEMARCHE_FUZZ_EXAMPLES", "25"))
# Requests that fit the schema may still be refused for reasons a schema cannot
# say (a cursor this API never gave out, a date in the future, an unknown actor):
# those answer 4xx by design, so only that one heuristic check is left out.
SEMANTIC = [positive_data_acceptance]


def test_every_operation_conforms(app: Flask, runtime: Runtime, token_factory: Any) -> None:
    ingest_paths(runtime, [str(PROJECT_ROOT / "seeds")], principal="test")  # real data to hit
    pipeline.rescore(runtime.pool, runtime.settings)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token_factory('admin')}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        check_operation(operation, headers)


def check_operation(operation: Any, headers: dict[str, str]) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, excluded_checks=SEMANTIC)

    run()
