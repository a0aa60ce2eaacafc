"""Use cases for analysts' corrections. Each is one transaction, audited, and
makes the pairs it touches due for re-scoring.

- An evidence correction (reject, or change actor / topic / polarity) is keyed by
  the document, the span and the machine's topic and actor, so it survives
  re-extraction of the document.
- A pin puts an analyst's score and label in force for a stance at once (a
  `manual` version); re-scores keep computing the machine's view beside it and
  never overwrite it, until the pin is released."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from psycopg_pool import ConnectionPool

from service.db import access, corrections, evidence, stances
from service.db.evidence import EvidenceRow
from service.db.pool import Connection, transaction
from service.errors import Conflict, NotFound, PreconditionFailed, ValidationError
from service.scoring import SCORER_VERSION

EVIDENCE_ACTIONS = ("reject", "amend", "restore")
LABELS = ("supports", "opposes", "mixed", "no-signal")


def _effective(item: EvidenceRow) -> dict[str, Any]:
    return {
        "actor": item.actor_id,
        "topic": item.topic_id,
        "polarity": item.polarity,
        "rejected": item.rejected,
    }


def correct_evidence(
    pool: ConnectionPool,
    evidence_id: int,
    *,
    action: str,
    reason: str,
    principal: str,
    actor: str | None = None,
    topic: str | None = None,
    polarity: float | None = None,
    request_id: str | None = None,
) -> EvidenceRow:
    """Reject an evidence item, amend its actor/topic/polarity, or restore the machine's view."""
    if action not in EVIDENCE_ACTIONS:
        raise ValidationError(
            f"action must be one of {', '.join(EVIDENCE_ACTIONS)}", field="action"
        )
    if not reason.strip():
        raise ValidationError("a reason is required", field="reason")
    if action == "amend" and actor is None and topic is None and polarity is None:
        raise ValidationError("amend needs a new actor, topic or polarity", field="action")
    if polarity is not None and not -1 <= polarity <= 1:
        raise ValidationError("polarity must be between -1 and 1", field="polarity")
    with transaction(pool) as conn:
        item = corrections.get_evidence_for_update(conn, evidence_id)
        if item is None:
            raise NotFound(f"evidence {evidence_id} does not exist")
        before = _effective(item)
        new: dict[str, Any]
        if action == "restore":
            corrections.delete_evidence_correction(conn, item)
            new = {
                "actor_id": item.machine_actor_id,
                "topic_id": item.machine_topic_id,
                "polarity": item.machine_polarity,
                "rejected": False,
                "correction_id": None,
            }
        else:
            correction_id = corrections.upsert_evidence_correction(
                conn,
                item,
                action=action,
                new_actor_id=actor,
                new_topic_id=topic,
                new_polarity=polarity,
                reason=reason.strip(),
                created_by=principal,
            )
            new = {
                "actor_id": actor or item.machine_actor_id,
                "topic_id": topic or item.machine_topic_id,
                "polarity": item.machine_polarity if polarity is None else polarity,
                "rejected": action == "reject",
                "correction_id": correction_id,
            }
        corrections.apply_to_evidence(conn, evidence_id, **new)
        evidence.enqueue_pairs(
            conn, {(item.actor_id, item.topic_id), (new["actor_id"], new["topic_id"])}
        )
        updated = corrections.get_evidence_for_update(conn, evidence_id)
        assert updated is not None
        access.insert_audit(
            conn,
            principal=principal,
            action=f"evidence.{action}",
            target_type="evidence",
            target_id=str(evidence_id),
            before=before,
            after=_effective(updated),
            reason=reason.strip(),
            request_id=request_id,
        )
        return updated


def _pair_or_404(conn: Connection, actor: str, topic: str) -> None:
    if not stances.all_pairs(conn, actor, topic):
        raise NotFound(f"unknown actor {actor!r} or topic {topic!r}")


def pin_stance(
    pool: ConnectionPool,
    actor: str,
    topic: str,
    *,
    score: float,
    label: str,
    note: str,
    principal: str,
    expected_version: int | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Put an analyst's score and label in force now; re-scores will not overwrite it."""
    if label not in LABELS:
        raise ValidationError(f"label must be one of {', '.join(LABELS)}", field="label")
    if not -1 <= score <= 1:
        raise ValidationError("score must be between -1 and 1", field="score")
    if not note.strip():
        raise ValidationError("a note is required", field="note")
    with transaction(pool) as conn:
        stances.lock_rescore(conn)
        _pair_or_404(conn, actor, topic)
        current = corrections.get_stance_for_update(conn, actor, topic)
        _check_version(current, expected_version)
        corrections.release_pin(conn, actor=actor, topic=topic, released_by=principal)
        pin = corrections.insert_pin(
            conn,
            actor=actor,
            topic=topic,
            score=score,
            label=label,
            note=note.strip(),
            created_by=principal,
        )
        version = corrections.set_stance_manual(
            conn,
            actor=actor,
            topic=topic,
            score=score,
            label=label,
            confidence=1.0,
            evidence_count=(current or {}).get("evidence_count", 0),
            last_evidence_at=(current or {}).get("last_evidence_at"),
            method="manual",
            pinned=True,
            reason=f"pinned: {note.strip()}",
            scorer_version=SCORER_VERSION,
            auto_score=(current or {}).get("auto_score", 0.0),
            auto_label=(current or {}).get("auto_label", "no-signal"),
            auto_confidence=(current or {}).get("auto_confidence", 0.0),
        )
        after = {"score": score, "label": label, "version": version, "pinned": True}
        access.insert_audit(
            conn,
            principal=principal,
            action="stance.pin",
            target_type="stance",
            target_id=f"{actor}/{topic}",
            before=_stance_view(current),
            after=after,
            reason=note.strip(),
            request_id=request_id,
        )
        return asdict(pin) | {"version": version}


def release_stance(
    pool: ConnectionPool,
    actor: str,
    topic: str,
    *,
    note: str,
    principal: str,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Release a pin: the machine's view is in force again, as a new version."""
    with transaction(pool) as conn:
        stances.lock_rescore(conn)
        _pair_or_404(conn, actor, topic)
        current = corrections.get_stance_for_update(conn, actor, topic)
        if current is None or not corrections.release_pin(
            conn, actor=actor, topic=topic, released_by=principal
        ):
            raise Conflict(f"stance {actor}/{topic} is not pinned")
        version = corrections.set_stance_manual(
            conn,
            actor=actor,
            topic=topic,
            score=current["auto_score"],
            label=current["auto_label"],
            confidence=current["auto_confidence"],
            evidence_count=current["evidence_count"],
            last_evidence_at=current["last_evidence_at"],
            method="auto",
            pinned=False,
            reason=f"pin released: {note.strip() or 'no note'}",
            scorer_version=SCORER_VERSION,
            auto_score=current["auto_score"],
            auto_label=current["auto_label"],
            auto_confidence=current["auto_confidence"],
        )
        evidence.enqueue_pairs(conn, [(actor, topic)])
        after = {
            "score": current["auto_score"],
            "label": current["auto_label"],
            "version": version,
            "pinned": False,
        }
        access.insert_audit(
            conn,
            principal=principal,
            action="stance.release",
            target_type="stance",
            target_id=f"{actor}/{topic}",
            before=_stance_view(current),
            after=after,
            reason=note.strip() or None,
            request_id=request_id,
        )
        return after


def _check_version(current: dict[str, Any] | None, expected: int | None) -> None:
    if expected is None:
        return
    found = current["version"] if current else 0
    if found != expected:
        raise PreconditionFailed(
            f"the stance is at version {found}, not {expected}; reload it and try again"
        )


def _stance_view(current: dict[str, Any] | None) -> dict[str, Any] | None:
    if current is None:
        return None
    return {k: current[k] for k in ("score", "label", "confidence", "method", "pinned", "version")}
