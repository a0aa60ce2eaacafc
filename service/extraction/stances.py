"""Document-level stance per (actor, topic), as DESIGN §4 and `demarche eval` define it."""

from __future__ import annotations

from collections.abc import Iterable

from service.extraction.extract import Evidence

LEAN = 0.25  # |polarity| below this is a mixed sentence, not a lean either way
MIXED_RATIO = 0.5  # the weaker side must weigh at least this share of the stronger one
MIN_WEIGHT = 0.3  # strength x confidence below this (e.g. a heavily conditional offer) is ignored


def document_stances(evidence: Iterable[Evidence]) -> dict[tuple[str, str], int]:
    """+1/-1 where the document's evidence agrees; 0 only with clear evidence both ways."""
    weights: dict[tuple[str, str], list[float]] = {}
    for item in evidence:
        weight = item.strength * item.confidence
        if weight < MIN_WEIGHT:
            continue
        pos_neg = weights.setdefault((item.actor_id, item.topic_id), [0.0, 0.0])
        if item.polarity >= LEAN:
            pos_neg[0] += weight * item.polarity
        elif item.polarity <= -LEAN:
            pos_neg[1] += weight * -item.polarity
        else:
            pos_neg[0] += weight / 2
            pos_neg[1] += weight / 2
    stances: dict[tuple[str, str], int] = {}
    for key, (pos, neg) in sorted(weights.items()):
        if pos > 0 and neg > 0 and min(pos, neg) >= MIXED_RATIO * max(pos, neg):
            stances[key] = 0
        else:
            stances[key] = 1 if pos >= neg else -1
    return stances
