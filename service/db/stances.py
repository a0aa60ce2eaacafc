"""Stances, their versions, the re-score queue, and the scoring queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from service.db.pool import Connection
from service.db.sql import q
from service.scoring import ScoringConfig

Pair = tuple[str, str]


@dataclass(frozen=True)
class ScoredPair:
    actor_id: str
    topic_id: str
    score: float
    label: str
    confidence: float
    evidence_count: int
    last_evidence_at: datetime | None


@dataclass(frozen=True)
class StanceVersion:
    id: int
    actor_id: str
    topic_id: str
    version: int
    previous_version: int | None
    score: float
    label: str
    confidence: float
    evidence_count: int
    last_evidence_at: datetime | None
    method: str
    pinned: bool
    recorded_at: datetime
    as_of: datetime | None
    reason: str
    scorer_version: str
    top_evidence_ids: list[int]


def lock_rescore(conn: Connection) -> None:
    """Hold the stance writers' lock until this transaction ends."""
    conn.execute(q("lock_rescore"))


def claim_due_pairs(conn: Connection, limit: int = 10_000) -> list[Pair]:
    rows = conn.execute(q("claim_due_pairs"), {"limit": limit}).fetchall()
    return sorted((r["actor_id"], r["topic_id"]) for r in rows)


def clear_queue(conn: Connection) -> list[Pair]:
    rows = conn.execute(q("clear_queue")).fetchall()
    return [(r["actor_id"], r["topic_id"]) for r in rows]


def all_pairs(conn: Connection, actor: str | None = None, topic: str | None = None) -> list[Pair]:
    rows = conn.execute(q("all_pairs"), {"actor": actor, "topic": topic}).fetchall()
    return [(r["actor_id"], r["topic_id"]) for r in rows]


def _formula_params(config: ScoringConfig) -> dict[str, Any]:
    return {
        "half_life_days": config.half_life_days,
        "min_weight": config.min_weight,
        "threshold": config.label_threshold,
        "minority_share": config.mixed_minority_share,
        "confidence_scale": config.confidence_scale,
    }


def score_pairs(
    conn: Connection,
    pairs: Sequence[Pair],
    *,
    as_of: datetime,
    config: ScoringConfig,
) -> list[ScoredPair]:
    """Compute (not store) the stance of each pair as of a time, in one query."""
    params = _formula_params(config) | {
        "actor_ids": [a for a, _ in pairs],
        "topic_ids": [t for _, t in pairs],
        "actor_set": sorted({a for a, _ in pairs}),
        "topic_set": sorted({t for _, t in pairs}),
        "as_of": as_of,
    }
    with conn.cursor(row_factory=class_row(ScoredPair)) as cur:
        # never a generic (prepared) plan: one pair wants index scans, all pairs a parallel scan
        return cur.execute(q("score_pairs"), params, prepare=False).fetchall()


def write_scored(
    conn: Connection,
    scored: Sequence[ScoredPair],
    *,
    as_of: datetime,
    config: ScoringConfig,
    epsilon: float,
    reason: str,
    scorer_version: str,
    fresh: Sequence[Pair] | None = None,
) -> dict[str, int]:
    """Store pairs scored as of ``as_of``: a new version (with the evidence that
    weighs most) where a pair changed, the current stance always.

    ``fresh`` are the pairs whose evidence changed since their last re-score (all
    scored pairs when None): their top evidence is ranked again; the others keep
    theirs unless they get a new version or evidence published since."""
    if not scored:
        return {"versions": 0, "stances": 0}
    params = {
        "actor_ids": [s.actor_id for s in scored],
        "topic_ids": [s.topic_id for s in scored],
        "scores": [s.score for s in scored],
        "labels": [s.label for s in scored],
        "confidences": [s.confidence for s in scored],
        "counts": [s.evidence_count for s in scored],
        "last_ats": [s.last_evidence_at for s in scored],
        "as_of": as_of,
        "half_life_days": config.half_life_days,
        "top_n": config.top_evidence,
        "epsilon": epsilon,
        "reason": reason,
        "scorer_version": scorer_version,
    }
    changed = [(s.actor_id, s.topic_id) for s in scored] if fresh is None else fresh
    params["fresh_actor_ids"] = [a for a, _ in changed]
    params["fresh_topic_ids"] = [t for _, t in changed]
    row = conn.execute(q("write_scored"), params).fetchone()
    assert row is not None
    return {"versions": row["versions"], "stances": row["stances"]}


def stances_revision(conn: Connection) -> tuple[int, str]:
    """A value that changes whenever what list_stances or stance_detail return may
    have changed (but for the weights' decay with time)."""
    row = conn.execute(q("stances_revision")).fetchone()
    return (int(row["n"]), str(row["written_by"])) if row else (-1, "")


def list_stances(
    conn: Connection, *, actor: str | None = None, topic: str | None = None
) -> list[dict[str, Any]]:
    return conn.execute(q("list_stances"), {"actor": actor, "topic": topic}).fetchall()


def _weighing(pair: Pair, as_of: datetime, config: ScoringConfig, limit: int) -> dict[str, Any]:
    """The parameters of the queries that weigh a pair's evidence as of a time."""
    return {
        "actor": pair[0],
        "topic": pair[1],
        "as_of": as_of,
        "half_life_days": config.half_life_days,
        "limit": limit,
    }


def top_evidence(
    conn: Connection, pair: Pair, *, as_of: datetime, config: ScoringConfig, limit: int
) -> list[dict[str, Any]]:
    """The evidence that weighs most in a pair as of a time, ranked over all of it."""
    return conn.execute(q("top_evidence"), _weighing(pair, as_of, config, limit)).fetchall()


def stance_detail(
    conn: Connection, pair: Pair, *, as_of: datetime, config: ScoringConfig, limit: int
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A pair's current stance (a row of list_stances; None for an unknown pair) and
    the evidence that weighs most in it, weighed as of ``as_of``.

    The last re-score of the pair keeps its top evidence with the stance, so this
    reads those few rows by id, in the same round trip as the stance (with
    exponential decay the order of evidence already published does not change with
    time). Evidence rejected or moved to another pair since is left out until the
    pair's re-score, which the correction queued. A scored pair with nothing kept
    that still holds (not re-scored since migration 0004, or all of it rejected) is
    ranked live over all its evidence."""
    params = _weighing(pair, as_of, config, limit)
    with conn.pipeline():
        stance = conn.execute(q("list_stances"), params)
        kept = conn.cursor().execute(q("kept_top_evidence"), params)
    found, top = stance.fetchone(), kept.fetchall()
    if found is None:
        return None, []
    if not top and found["evidence_count"]:  # nothing kept that still holds: rank now
        top = top_evidence(conn, pair, as_of=as_of, config=config, limit=limit)
    return found, top


def list_versions(conn: Connection, pair: Pair) -> list[StanceVersion]:
    with conn.cursor(row_factory=class_row(StanceVersion)) as cur:
        return cur.execute(q("list_versions"), {"actor": pair[0], "topic": pair[1]}).fetchall()


def list_changes(
    conn: Connection,
    *,
    since: datetime,
    limit: int,
    after_id: int | None = None,
    actor: str | None = None,
    topic: str | None = None,
) -> list[StanceVersion]:
    params = {"since": since, "limit": limit, "after_id": after_id, "actor": actor, "topic": topic}
    with conn.cursor(row_factory=class_row(StanceVersion)) as cur:
        return cur.execute(q("list_changes"), params).fetchall()


def timeline(
    conn: Connection,
    pair: Pair,
    *,
    unit: str,
    since: datetime,
    until: datetime,
    config: ScoringConfig,
) -> list[dict[str, Any]]:
    params = _formula_params(config) | {
        "actor": pair[0],
        "topic": pair[1],
        "unit": unit,
        "step": f"1 {unit}",
        "since": since,
        "until": until,
    }
    return conn.execute(q("stance_timeline"), params).fetchall()


def pins_in_disagreement(conn: Connection) -> list[dict[str, Any]]:
    return conn.execute(q("pins_in_disagreement")).fetchall()
