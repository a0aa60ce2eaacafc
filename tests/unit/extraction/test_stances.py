"""document_stances: agreement gives +1/-1, clear evidence both ways gives 0."""

from __future__ import annotations

from service.extraction import Evidence, document_stances


def item(polarity: float, strength: float = 1.0, index: int = 0, topic: str = "t") -> Evidence:
    return Evidence("a", topic, polarity, strength, 0.9, index, 0, 1, "x", None, ("c",))


def test_agreeing_evidence() -> None:
    assert document_stances([item(1), item(1, index=1)]) == {("a", "t"): 1}
    assert document_stances([item(-1)]) == {("a", "t"): -1}


def test_clear_evidence_both_ways_is_mixed() -> None:
    assert document_stances([item(1), item(-1, index=1)]) == {("a", "t"): 0}


def test_weak_minority_does_not_make_it_mixed() -> None:
    evidence = [item(1), item(1, index=1), item(-1, strength=0.6, index=2)]
    assert document_stances(evidence) == {("a", "t"): 1}


def test_negligible_evidence_is_ignored() -> None:
    assert document_stances([item(1, strength=0.2)]) == {}


def test_pairs_are_independent() -> None:
    assert document_stances([item(1), item(-1, topic="u")]) == {("a", "t"): 1, ("a", "u"): -1}
