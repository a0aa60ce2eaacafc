"""Properties that must hold for any input: no crash, determinism, exact spans."""

from __future__ import annotations

import time
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.extraction import Lexicon, extract

NEWSY = st.lists(
    st.sampled_from(
        [
            "Mr Xi said",
            "\u201cpeace talks\u201d",
            " the Kremlin ",
            "U.S.",
            " a.m. ",
            "\n",
            "Zelensky",
            "refused to condemn",
            ", he added.",
            "\u00a0",
            ". ",
            '"',
            "former ",
            "in Beijing",
            "nuclear weapons must not be used",
            "\u0130stanbul",
            "\u00df",
            "'s ",
        ]
    )
    | st.text(max_size=12),
    max_size=40,
).map("".join)
TEXTS = st.text(max_size=400) | NEWSY
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(text=TEXTS, day=DATES)
def test_never_raises_and_spans_slice_to_quotes(lexicon: Lexicon, text: str, day: date) -> None:
    for item in extract(text, day, lexicon):
        assert text[item.char_start : item.char_end] == item.quote
        assert -1.0 <= item.polarity <= 1.0
        assert 0 < item.strength <= 1 and 0 < item.confidence <= 1


@SETTINGS
@given(text=TEXTS, day=DATES)
def test_deterministic_sorted_and_unique(lexicon: Lexicon, text: str, day: date) -> None:
    first = extract(text, day, lexicon)
    assert first == extract(text, day, lexicon)
    keys = [(e.char_start, e.char_end, e.topic_id, e.actor_id) for e in first]
    assert keys == sorted(keys)
    identities = [(e.sentence_index, e.actor_id, e.topic_id) for e in first]
    assert len(identities) == len(set(identities))


def test_timestamps_are_accepted_as_dates(lexicon: Lexicon) -> None:
    text = "Qin Gang called for peace talks."
    assert extract(text, datetime(2023, 3, 1, 12, 0), lexicon) == extract(
        text, date(2023, 3, 1), lexicon
    )


def test_run_on_text_stays_linear(lexicon: Lexicon) -> None:
    text = "Mr Xi said there were no prospects for peace talks, " * 1500
    started = time.perf_counter()
    items = extract(text, date(2023, 4, 6), lexicon)
    assert time.perf_counter() - started < 5
    assert [(e.actor_id, e.polarity) for e in items] == [("china", -1.0)]
