"""The `demarche` command and `demarche serve`, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from service.settings import PROJECT_ROOT


def demarche(
    *args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
    )


def base_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DEMARCHE_") and k != "DATABASE_URL"
    }
    return env | extra


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@contextmanager
def serving(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get_json(base + "/readyz")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not come up:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def wait_for(check: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError("condition not met in time")


def test_ingest_tokens_and_errors(database_url: str, tmp_path: Path) -> None:
    env = base_env(DATABASE_URL=database_url)
    first = demarche("ingest", "seeds", env=env)
    assert first.returncode == 0, first.stderr
    assert "stored 2 new documents" in first.stdout
    again = demarche("ingest", "seeds", env=env)
    assert "stored 0 new documents" in again.stdout and "2 already present" in again.stdout
    line = json.dumps(
        {
            "title": "Stdin",
            "published_at": "2023-02-01",
            "text": "Dmytro Kuleba said Ukraine wants peace talks.",
        }
    )
    piped = demarche("ingest", "-", env=env, stdin=line + "\nnot json\n")
    assert piped.returncode == 1 and "stored 1 new" in piped.stdout
    assert "<stdin>:2: not valid JSON" in piped.stderr
    token = demarche("tokens", "create", "--name", "ci", "--role", "admin", env=env)
    assert token.returncode == 0 and token.stdout.strip().startswith("dm_")
    listed = demarche("tokens", "list", env=env).stdout
    assert "ci" in listed and token.stdout.strip() not in listed
    assert demarche("db", "status", env=env).stdout.strip() == "schema is current"
    rescored = demarche("rescore", env=env)
    assert rescored.returncode == 0 and rescored.stdout.startswith("rescore: ok")


def test_bad_setting_stops_with_one_line() -> None:
    result = demarche(
        "serve", env=base_env(DEMARCHE_PORT="eighty", DATABASE_URL="postgresql://x/y")
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "demarche: error: DEMARCHE_PORT: Not a valid integer."


def test_serve_loads_seeds_and_scores_them(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = base_env(DATABASE_URL=database_url, DEMARCHE_RESCORE_INTERVAL_SECONDS="1")
    with serving(env, port, tmp_path / "serve.log") as base:
        docs = get_json(base + "/api/v1/documents")["items"]
        assert len(docs) == 2

        def france_supports() -> bool:
            matrix = get_json(base + "/api/v1/stances?actor=france")["items"]
            cell = next(i for i in matrix if i["topic"] == "negotiated-settlement")
            return cell["label"] == "supports"

        wait_for(france_supports)
        assert get_json(base + "/healthz") == {"status": "ok"}
        with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
            metrics = response.read().decode()
        # gunicorn workers write to PROMETHEUS_MULTIPROC_DIR; /metrics adds them up
        assert 'demarche_http_requests_total{endpoint="/api/v1/stances"' in metrics


def test_cli_import_leaves_prometheus_for_serve_to_configure() -> None:
    code = "import sys, service.cli; print('prometheus_client' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.slow
def test_embedded_default_is_shared_with_cli_commands(tmp_path: Path) -> None:
    """No DATABASE_URL: serve starts its own PostgreSQL; a CLI command beside it joins
    the same server and leaves it running when it exits."""
    env = base_env(DEMARCHE_DATA_DIR=str(tmp_path / "data"), DEMARCHE_SCHEDULER_ENABLED="false")
    port = free_port()
    with serving(env, port, tmp_path / "serve.log") as base:
        assert len(get_json(base + "/api/v1/documents")["items"]) == 2
        line = json.dumps(
            {
                "title": "Beside",
                "published_at": "2023-03-01",
                "text": "The Kremlin said Russia rejects peace talks.",
            }
        )
        beside = demarche("ingest", "-", env=env, stdin=line)
        assert beside.returncode == 0, beside.stderr
        assert len(get_json(base + "/api/v1/documents")["items"]) == 3
    assert (tmp_path / "data" / "pgdata" / "PG_VERSION").is_file()


def test_export_stances_and_evidence_as_csv(database_url: str) -> None:
    env = base_env(DATABASE_URL=database_url)
    assert demarche("ingest", "seeds", env=env).returncode == 0
    assert demarche("rescore", env=env).returncode == 0
    matrix = demarche("export", "stances", env=env)
    assert matrix.returncode == 0, matrix.stderr
    lines = matrix.stdout.splitlines()
    assert lines[0].startswith("actor_id,topic_id,score,label") and len(lines) == 25
    assert any(
        line.startswith("france,negotiated-settlement,") and ",supports," in line for line in lines
    )
    before = demarche("export", "stances", "--as-of", "2022-12-31", "--actor", "russia", env=env)
    assert ",opposes," not in before.stdout and len(before.stdout.splitlines()) == 7
    quotes = demarche("export", "evidence", "--actor", "china", env=env)
    rows = list(csv.DictReader(io.StringIO(quotes.stdout)))
    assert quotes.returncode == 0 and rows and {r["actor_id"] for r in rows} == {"china"}
    bad = demarche("export", "stances", "--actor", "atlantis", env=env)
    assert bad.returncode == 2 and "unknown actor" in bad.stderr
