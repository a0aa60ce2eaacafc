"""The stance formula as a pure function."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.scoring import ScoringConfig, WeightedEvidence, score_stance

NOW = datetime(2024, 1, 1, tzinfo=UTC)
CONFIG = ScoringConfig()


def ev(
    i: int,
    polarity: float,
    days_ago: float = 0,
    strength: float = 1.0,
    confidence: float = 1.0,
    source_weight: float = 1.0,
) -> WeightedEvidence:
    return WeightedEvidence(
        i, polarity, strength, confidence, source_weight, NOW - timedelta(days=days_ago)
    )


def test_no_evidence_is_no_signal() -> None:
    result = score_stance([], NOW, CONFIG)
    assert (result.label, result.score, result.confidence) == ("no-signal", 0.0, 0.0)


def test_agreeing_evidence_supports_or_opposes() -> None:
    assert score_stance([ev(1, 1), ev(2, 1)], NOW, CONFIG).label == "supports"
    against = score_stance([ev(1, -1), ev(2, -0.8)], NOW, CONFIG)
    assert against.label == "opposes" and against.score < -0.8


def test_newer_evidence_dominates_older() -> None:
    result = score_stance([ev(1, -1, days_ago=720), ev(2, 1, days_ago=1)], NOW, CONFIG)
    assert result.score > 0.8 and result.label == "supports"
    assert result.top_evidence_ids[0] == 2


def test_strong_evidence_both_ways_is_mixed() -> None:
    result = score_stance([ev(1, 1), ev(2, -1), ev(3, 1)], NOW, CONFIG)
    assert result.label == "mixed"


def test_evidence_after_as_of_is_ignored() -> None:
    items = [ev(1, 1, days_ago=10), ev(2, -1, days_ago=-5)]
    result = score_stance(items, NOW, CONFIG)
    assert result.evidence_count == 1 and result.label == "supports"


def test_confidence_grows_with_amount_and_falls_with_age() -> None:
    one = score_stance([ev(1, 1)], NOW, CONFIG).confidence
    three = score_stance([ev(i, 1) for i in range(3)], NOW, CONFIG).confidence
    stale = score_stance([ev(1, 1, days_ago=900)], NOW, CONFIG).confidence
    assert three > one > stale > 0


def test_tiny_weight_is_no_signal() -> None:
    result = score_stance([ev(1, 1, strength=0.1, confidence=0.1)], NOW, CONFIG)
    assert result.label == "no-signal"


@given(
    st.lists(
        st.tuples(st.floats(-1, 1), st.floats(0.01, 1), st.floats(0.01, 1), st.floats(0, 2000)),
        max_size=30,
    )
)
def test_deterministic_and_bounded(rows: list[tuple[float, float, float, float]]) -> None:
    items = [
        ev(i, p, days_ago=age, strength=s, confidence=c) for i, (p, s, c, age) in enumerate(rows)
    ]
    first = score_stance(items, NOW, CONFIG)
    assert score_stance(items, NOW, CONFIG) == first
    shuffled = score_stance(list(reversed(items)), NOW, CONFIG)
    assert abs(shuffled.score - first.score) < 1e-9
    assert abs(shuffled.confidence - first.confidence) < 1e-9
    assert -1 <= first.score <= 1 and 0 <= first.confidence <= 1
    assert first.label in {"supports", "opposes", "mixed", "no-signal"}
