"""The stance formula (DESIGN §5), as a pure function.

PostgreSQL computes the same formula in set operations (migration
0002_scoring_functions.sql and queries/stances.sql) so that re-scoring a
million evidence rows never loops in Python; this module is the readable
reference, and a test checks that both agree on random evidence.

For one (actor, topic) as of time T, over evidence published at or before T:

    raw_i  = strength_i * confidence_i * source_weight_i
    w_i    = raw_i * 2 ** (-age_i / half_life)          age_i = T - published_at_i, in days
    score  = sum(w_i * p_i) / sum(w_i)
    label  = no-signal  if there is no evidence or sum(raw_i) < min_weight
             mixed      if the weaker side holds >= mixed_minority_share of sum(w_i * |p_i|)
             supports   if score >= label_threshold
             opposes    if score <= -label_threshold
             mixed      otherwise (weak or neutral evidence)
    confidence = (1 - exp(-sum(raw_i) / confidence_scale))      how much evidence
               * |sum(w_i * p_i)| / sum(w_i * |p_i|)            how much it agrees
               * (0.5 + 0.5 * sum(w_i) / sum(raw_i))            how fresh it is
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

SCORER_VERSION = "1.0.0"
SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class ScoringConfig:
    half_life_days: float = 180.0
    label_threshold: float = 0.25
    mixed_minority_share: float = 0.3
    min_weight: float = 0.05
    confidence_scale: float = 1.5
    top_evidence: int = 5


@dataclass(frozen=True)
class WeightedEvidence:
    id: int
    polarity: float
    strength: float
    confidence: float
    source_weight: float
    published_at: datetime


@dataclass(frozen=True)
class StanceScore:
    score: float
    label: str
    confidence: float
    evidence_count: int
    last_evidence_at: datetime | None
    top_evidence_ids: tuple[int, ...]


def decay(age_days: float, half_life_days: float) -> float:
    return float(2.0 ** -min(max(age_days, 0.0) / half_life_days, 1000.0))


def score_stance(
    items: Iterable[WeightedEvidence], as_of: datetime, config: ScoringConfig
) -> StanceScore:
    """The stance of one pair as of ``as_of`` (evidence after it is ignored)."""
    used = [e for e in items if e.published_at <= as_of]
    raws = [e.strength * e.confidence * e.source_weight for e in used]
    weights = [
        raw
        * decay((as_of - e.published_at).total_seconds() / SECONDS_PER_DAY, config.half_life_days)
        for raw, e in zip(raws, used, strict=True)
    ]
    raw_total, total = sum(raws), sum(weights)
    if not used or raw_total < config.min_weight or total <= 0:
        last = max((e.published_at for e in used), default=None)
        return StanceScore(0.0, "no-signal", 0.0, len(used), last, ())
    signed = sum(w * e.polarity for w, e in zip(weights, used, strict=True))
    absolute = sum(w * abs(e.polarity) for w, e in zip(weights, used, strict=True))
    positive = sum(w * e.polarity for w, e in zip(weights, used, strict=True) if e.polarity > 0)
    score = signed / total
    label = _label(score, positive, absolute - positive, absolute, config)
    agreement = abs(signed) / absolute if absolute > 0 else 0.0
    amount = 1.0 - math.exp(-min(raw_total / config.confidence_scale, 700.0))
    confidence = amount * agreement * (0.5 + 0.5 * total / raw_total)
    ranked = sorted(
        zip(weights, used, strict=True), key=lambda we: (-we[0] * abs(we[1].polarity), we[1].id)
    )
    top = tuple(e.id for _, e in ranked[: config.top_evidence])
    last_at = max(e.published_at for e in used)
    return StanceScore(score, label, confidence, len(used), last_at, top)


def _label(
    score: float, positive: float, negative: float, absolute: float, config: ScoringConfig
) -> str:
    if absolute > 0 and min(positive, negative) / absolute >= config.mixed_minority_share:
        return "mixed"
    if score >= config.label_threshold:
        return "supports"
    if score <= -config.label_threshold:
        return "opposes"
    return "mixed"
