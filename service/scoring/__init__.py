"""Scoring: evidence -> stance. Pure functions; the SQL in db/ mirrors them."""

from service.scoring.formula import (
    SCORER_VERSION,
    ScoringConfig,
    StanceScore,
    WeightedEvidence,
    score_stance,
)

__all__ = ["SCORER_VERSION", "ScoringConfig", "StanceScore", "WeightedEvidence", "score_stance"]
