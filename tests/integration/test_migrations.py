"""Migrations build the schema, agree with the design, and are safe to run at once."""

from __future__ import annotations

import subprocess
import sys
import uuid

import psycopg

from service.db.migrate import migration_ids, pending_migrations, upgrade
from tests.conftest import create_database, drop_database

DESIGN_TABLES = {
    "actors",
    "actor_aliases",
    "topics",
    "documents",
    "evidence",
    "evidence_corrections",
    "stances",
    "stance_versions",
    "stance_corrections",
    "stance_queue",
    "audit_log",
    "sources",
    "job_runs",
    "users",
    "api_tokens",
}


def test_template_has_every_table_and_no_pending_migration(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    assert DESIGN_TABLES <= {r[0] for r in rows}
    assert pending_migrations(database_url) == []


def test_constraints_guard_the_data(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        doc_id = conn.execute(
            "INSERT INTO documents (content_hash, title, published_at, text, lexicon_version,"
            " extractor_version) VALUES (repeat('a', 64), 't', now(), 'x', 'l', 'e') RETURNING id"
        ).fetchone()[0]
        conn.commit()
        for bad in (1.5, -2):
            try:
                conn.execute(
                    "INSERT INTO evidence (document_id, machine_actor_id, machine_topic_id,"
                    " machine_polarity, actor_id, topic_id, polarity, strength, confidence,"
                    " sentence_index, char_start, char_end, quote, extractor_version,"
                    " lexicon_version, published_at) VALUES (%s, 'france',"
                    " 'negotiated-settlement', 0, 'france', 'negotiated-settlement', %s, 1, 1,"
                    " 0, 0, 1, 'x', 'e', 'l', now())",
                    [doc_id, bad],
                )
            except psycopg.errors.CheckViolation:
                conn.rollback()
            else:
                raise AssertionError(f"polarity {bad} was accepted")
        try:
            conn.execute(
                "INSERT INTO stances (actor_id, topic_id, score, label, confidence,"
                " method, version, auto_score, auto_label, auto_confidence) VALUES"
                " ('france', 'negotiated-settlement', 0, 'maybe', 0, 'auto', 1, 0,"
                " 'mixed', 0)"
            )
        except psycopg.errors.CheckViolation:
            conn.rollback()
        else:
            raise AssertionError("label 'maybe' was accepted")


def test_two_processes_migrating_at_once_apply_each_migration_once(server_url: str) -> None:
    name = f"demarche_m_{uuid.uuid4().hex[:8]}"
    url = create_database(server_url, name)
    try:
        code = "import sys; from service.db.migrate import upgrade; print(upgrade(sys.argv[1]))"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, url],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        applied = {out.strip() for out, _ in outputs}
        assert applied == {"[]", str(migration_ids())}
        assert upgrade(url) == []
        with psycopg.connect(url) as conn:
            count = conn.execute("SELECT count(*) FROM _yoyo_migration").fetchone()[0]
        assert count == len(migration_ids())
    finally:
        drop_database(server_url, name)
