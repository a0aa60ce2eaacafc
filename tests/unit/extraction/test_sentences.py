"""Sentence splitting and quotes on news English; offsets always point into the input."""

from __future__ import annotations

from service.extraction.text import quote_spans, split_sentences, working_copy


def sentences(text: str) -> list[str]:
    work = working_copy(text)
    return [text[s.start : s.end] for s in split_sentences(work)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Mr Xi met Dr. Lee at 9 a.m. in the U.S. capital. Ms Colonna left at noon."
    assert sentences(text) == [
        "Mr Xi met Dr. Lee at 9 a.m. in the U.S. capital.",
        "Ms Colonna left at noon.",
    ]


def test_initials_and_titles_with_full_stops() -> None:
    assert sentences("J. K. Rowling spoke. Gen. Smith and Sen. Jones agreed.") == [
        "J. K. Rowling spoke.",
        "Gen. Smith and Sen. Jones agreed.",
    ]


def test_quote_closing_after_full_stop_stays_with_its_sentence() -> None:
    text = "\u201cWe will talk.\u201d He left. \u201cNo.\u201d"
    assert sentences(text) == ["\u201cWe will talk.\u201d", "He left.", "\u201cNo.\u201d"]


def test_quote_glued_to_next_sentence_is_split() -> None:
    assert sentences('It was "in its own way".Then he left.') == [
        'It was "in its own way".',
        "Then he left.",
    ]


def test_lines_without_final_punctuation_are_sentences() -> None:
    text = "Kremlin rejects plan\n\nBy Jane Doe\nThe Kremlin said no."
    assert sentences(text) == ["Kremlin rejects plan", "By Jane Doe", "The Kremlin said no."]


def test_lower_case_after_full_stop_does_not_split() -> None:
    assert sentences("The vote was 141 vs. 5 in favour.") == ["The vote was 141 vs. 5 in favour."]


def test_working_copy_keeps_length_and_straightens_quotes() -> None:
    text = "\u201cOui\u201d \u2018non\u2019 \u00abpeut-\u00eatre\u00bb\u00a0x"
    work = working_copy(text)
    assert len(work) == len(text)
    assert work == '"Oui" \'non\' "peut-\u00eatre" x'


def test_unclosed_quote_runs_to_end_of_paragraph() -> None:
    work = working_copy('He said "one. two\nThree "four" five')
    assert [work[a:b] for a, b in quote_spans(work)] == ['"one. two', '"four"']
