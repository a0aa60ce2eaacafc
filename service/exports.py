"""`demarche export`: the matrix or the evidence, as CSV, for spreadsheets and archives."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, time, timedelta
from typing import Any, TextIO

from service.db import evidence, stances
from service.db.pool import connection
from service.errors import ValidationError
from service.export import write_csv
from service.pipeline import scoring_config
from service.runtime import Runtime

STANCE_COLUMNS = [
    "actor_id",
    "topic_id",
    "score",
    "label",
    "confidence",
    "evidence_count",
    "last_evidence_at",
    "version",
    "method",
    "pinned",
]
EVIDENCE_COLUMNS = [
    "id",
    "document_id",
    "published_at",
    "actor_id",
    "topic_id",
    "polarity",
    "strength",
    "confidence",
    "rejected",
    "speaker",
    "quote",
    "cue_ids",
    "char_start",
    "char_end",
]
BATCH = 5000


def export_csv(
    rt: Runtime,
    what: str,
    out: TextIO,
    *,
    as_of: str | None = None,
    actor: str | None = None,
    topic: str | None = None,
) -> None:
    known_actors = {a.id for a in rt.lexicon.actors}
    known_topics = {t.id for t in rt.lexicon.topics}
    if actor is not None and actor not in known_actors:
        raise ValidationError(f"unknown actor {actor!r}", field="actor")
    if topic is not None and topic not in known_topics:
        raise ValidationError(f"unknown topic {topic!r}", field="topic")
    if what == "stances":
        write_csv(_stances(rt, as_of, actor, topic), STANCE_COLUMNS, out)
    else:
        write_csv(_evidence(rt, actor, topic), EVIDENCE_COLUMNS, out)


def _stances(
    rt: Runtime, as_of: str | None, actor: str | None, topic: str | None
) -> list[dict[str, Any]]:
    with connection(rt.pool) as conn:
        if as_of is None:
            return stances.list_stances(conn, actor=actor, topic=topic)
        try:
            day = datetime.combine(datetime.fromisoformat(as_of).date(), time(), tzinfo=UTC)
        except ValueError:
            raise ValidationError("--as-of must be a date (YYYY-MM-DD)", field="as_of") from None
        pairs = stances.all_pairs(conn, actor, topic)
        scored = stances.score_pairs(
            conn,
            pairs,
            as_of=day + timedelta(days=1, microseconds=-1),
            config=scoring_config(rt.settings),
        )
        return [asdict(s) | {"method": "auto", "pinned": False} for s in scored]


def _evidence(rt: Runtime, actor: str | None, topic: str | None) -> Any:
    """All evidence, newest first, fetched in batches so memory stays flat."""
    after = None
    while True:
        with connection(rt.pool) as conn:
            rows = evidence.list_evidence(conn, limit=BATCH, after=after, actor=actor, topic=topic)
        yield from (asdict(r) for r in rows)
        if len(rows) < BATCH:
            return
        after = (rows[-1].published_at, rows[-1].id)
