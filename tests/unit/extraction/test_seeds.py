"""The two seed articles: the positions an analyst would read out of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.extraction import Lexicon, document_stances, extract

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def g20_2022(lexicon: Lexicon) -> dict[tuple[str, str], int]:
    return document_stances(extract(seed("000"), date(2022, 11, 15), lexicon))


@pytest.fixture(scope="module")
def beijing_2023(lexicon: Lexicon) -> dict[tuple[str, str], int]:
    return document_stances(extract(seed("003"), date(2023, 4, 6), lexicon))


def test_france_supports_settlement_in_both_seeds(
    g20_2022: dict[tuple[str, str], int], beijing_2023: dict[tuple[str, str], int]
) -> None:
    assert g20_2022[("france", "negotiated-settlement")] == 1
    assert beijing_2023[("france", "negotiated-settlement")] == 1


@pytest.mark.parametrize(
    ("actor", "topic", "polarity"),
    [
        ("china", "negotiated-settlement", 1),
        ("russia", "negotiated-settlement", -1),
        ("china", "nuclear-restraint", 1),
        ("france", "russia-accountability", 1),
        ("china", "russia-accountability", -1),
        ("russia", "nuclear-restraint", -1),
    ],
)
def test_beijing_2023_positions(
    beijing_2023: dict[tuple[str, str], int], actor: str, topic: str, polarity: int
) -> None:
    assert beijing_2023[(actor, topic)] == polarity


def test_evidence_quotes_the_kremlin_and_the_un_charter(lexicon: Lexicon) -> None:
    text = seed("003")
    items = extract(text, date(2023, 4, 6), lexicon)
    kremlin = [e for e in items if e.actor_id == "russia" and e.topic_id == "negotiated-settlement"]
    assert any("no prospects for a peaceful settlement" in e.quote for e in kremlin)
    charter = [e for e in items if e.topic_id == "russia-accountability" and e.actor_id == "france"]
    assert any("unacceptable" in e.quote and "charter" in e.quote for e in charter)
    nuclear = [e for e in items if e.topic_id == "nuclear-restraint" and e.actor_id == "china"]
    assert any("nuclear weapons should not be used" in e.quote for e in nuclear)
    for item in items:
        assert text[item.char_start : item.char_end] == item.quote
