"""Fixtures for the extraction tests: the shipped lexicon, loaded once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from service.extraction import Evidence, Lexicon, document_stances, extract, load_lexicon

CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"
Triple = tuple[str, str, int]


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicon(CONFIG_DIR)


@pytest.fixture(scope="session")
def evidence(lexicon: Lexicon) -> Callable[..., list[Evidence]]:
    def run(text: str, day: date = date(2023, 4, 6)) -> list[Evidence]:
        return extract(text, day, lexicon)

    return run


@pytest.fixture(scope="session")
def triples(lexicon: Lexicon) -> Callable[..., set[Triple]]:
    """Document-level (actor, topic, polarity) triples of a text, as `demarche eval` sees them."""

    def run(text: str, day: date = date(2023, 4, 6)) -> set[Triple]:
        stances = document_stances(extract(text, day, lexicon))
        return {(actor, topic, polarity) for (actor, topic), polarity in stances.items()}

    return run
