"""Who holds a position: quote speakers, subjects, pronouns, objects, places, dated roles.

Every sentence here is written for the test; none is taken from the evaluation set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from service.extraction import Evidence

Triples = Callable[..., set[tuple[str, str, int]]]
Extract = Callable[..., list[Evidence]]
SETTLE = "negotiated-settlement"


def test_quote_then_said_with_title_and_name(triples: Triples) -> None:
    text = '"There will be no peace talks this year," said Russian Foreign Minister Sergei Lavrov.'
    assert triples(text) == {("russia", SETTLE, -1)}


def test_quote_then_pronoun_told_object(triples: Triples) -> None:
    text = (
        "Emmanuel Macron arrived in Beijing on Wednesday.\n"
        '"We must find a political solution together," he told Mr Xi.'
    )
    assert triples(text) == {("france", SETTLE, 1)}


def test_speaker_said_comma_quote(triples: Triples) -> None:
    text = 'Mr Xi said, "China supports a ceasefire and dialogue."'
    assert triples(text) == {("china", SETTLE, 1)}


def test_quote_running_over_several_sentences(triples: Triples) -> None:
    text = (
        '"The situation is difficult. We have always been ready for peace talks. '
        'Nothing has changed," said Kremlin spokesman Dmitry Peskov.'
    )
    assert triples(text) == {("russia", SETTLE, 1)}


def test_following_quote_paragraph_keeps_its_speaker(triples: Triples) -> None:
    text = '"We are open to negotiations," Kuleba said.\n"But only a just peace will hold."'
    assert ("ukraine", SETTLE, 1) in triples(text, date(2023, 5, 1))


def test_subject_of_reporting_verb(triples: Triples) -> None:
    assert triples("The Kremlin rejected any peace talks with Kyiv.") == {("russia", SETTLE, -1)}


def test_object_of_request_is_a_target_not_the_holder(triples: Triples) -> None:
    found = triples("Macron urged Xi to push Moscow towards peace talks.")
    assert ("france", SETTLE, 1) in found
    assert not {t for t in found if t[0] == "china" and t[1] == SETTLE}


def test_told_object_is_not_the_speaker(evidence: Extract) -> None:
    items = evidence("Zelensky told Mr Xi that a ceasefire was needed.", date(2023, 4, 6))
    assert {(e.actor_id, e.topic_id) for e in items} == {("ukraine", SETTLE)}


def test_government_metonym_counts(triples: Triples) -> None:
    assert triples("Beijing called for a political settlement.") == {("china", SETTLE, 1)}


def test_capital_as_place_is_not_the_government(triples: Triples) -> None:
    assert triples("Officials in Beijing called for a political settlement.") == set()


def test_travel_to_capital_is_not_the_government(triples: Triples) -> None:
    assert triples("Scholz travelled to Moscow and called for peace talks.") == set()


def test_adjective_needs_a_government_noun(triples: Triples) -> None:
    assert triples("Chinese officials said a ceasefire was urgent.") == {("china", SETTLE, 1)}
    assert triples("Chinese companies said a ceasefire was urgent.") == set()


def test_pronoun_carried_from_last_named_speaker(triples: Triples) -> None:
    text = (
        "Ukrainian Foreign Minister Dmytro Kuleba met his counterpart on Monday.\n"
        "Kuleba said sanctions must stay.\n"
        "He also said Ukraine was ready to negotiate."
    )
    found = triples(text, date(2023, 5, 1))
    assert ("ukraine", SETTLE, 1) in found


def test_journalist_sentence_is_nobodys_position(triples: Triples) -> None:
    text = "Peace talks between Russia and Ukraine have been frozen since 2022."
    assert triples(text) == set()


def test_former_official_does_not_speak_for_the_state(triples: Triples) -> None:
    assert triples("Former French president Nicolas Sarkozy called for peace talks.") == set()
    assert triples("French President Emmanuel Macron called for peace talks.") == {
        ("france", SETTLE, 1)
    }


def test_dated_role_before_and_after_office(triples: Triples) -> None:
    text = "Qin Gang called for peace talks."
    assert triples(text, date(2023, 3, 1)) == {("china", SETTLE, 1)}
    assert triples(text, date(2022, 6, 1)) == set()
    assert triples(text, date(2023, 9, 1)) == set()


def test_foreign_minister_succession(triples: Triples) -> None:
    text = "Sybiha called for peace talks."
    assert triples(text, date(2024, 8, 1)) == set()
    assert triples(text, date(2024, 10, 1)) == {("ukraine", SETTLE, 1)}
    assert triples("Kuleba called for peace talks.", date(2024, 10, 1)) == set()


def test_official_act_counts_as_position(triples: Triples) -> None:
    assert triples("Russia announced it would deploy tactical nuclear weapons in Belarus.") == {
        ("russia", "nuclear-restraint", -1)
    }


def test_possessive_act(triples: Triples) -> None:
    found = triples("Paris condemned Moscow's annexation of four Ukrainian regions.")
    assert ("france", "russia-accountability", 1) in found
    assert ("russia", "ukraine-sovereignty", -1) in found


def test_evidence_records_the_speaker_as_written(evidence: Extract) -> None:
    text = '"No prospects for a settlement exist," said Kremlin spokesman Dmitry Peskov.'
    (item,) = evidence(text)
    assert item.speaker == "Kremlin spokesman Dmitry Peskov"
    assert "attr/quote" in item.cue_ids
    assert item.actor_id == "russia"


def test_headline_colon_names_the_holder(triples: Triples) -> None:
    assert triples("Kremlin: no prospects for peace talks this year") == {("russia", SETTLE, -1)}


def test_document_anaphora_takes_the_last_speaker(triples: Triples) -> None:
    text = (
        "China published a position paper on Friday.\n"
        "The paper says nuclear weapons must not be used."
    )
    assert ("china", "nuclear-restraint", 1) in triples(text)


def test_office_of_a_state_and_a_locating_place(triples: Triples) -> None:
    assert triples("Russia's defence ministry said peace talks were impossible.") == {
        ("russia", SETTLE, -1)
    }
    assert triples("The Chinese embassy in Kyiv said a ceasefire was needed.") == {
        ("china", SETTLE, 1)
    }


def test_expletive_it_is_nobody(triples: Triples) -> None:
    text = "Mr Xi met the press on Monday.\nIt is unclear whether peace talks will resume."
    assert triples(text) == set()


def test_embedded_subject_with_a_stance_verb_holds_the_position(triples: Triples) -> None:
    text = "Macron said the Chinese leader rejected the use of nuclear weapons."
    assert triples(text) == {("china", "nuclear-restraint", 1)}


def test_pronoun_carry_expires(triples: Triples) -> None:
    filler = "The weather in the region stayed cold.\n" * 5
    near = "Kuleba arrived on Monday.\nHe said a ceasefire was needed."
    far = "Kuleba arrived on Monday.\n" + filler + "He said a ceasefire was needed."
    assert triples(near, date(2023, 5, 1)) == {("ukraine", SETTLE, 1)}
    assert triples(far, date(2023, 5, 1)) == set()


def test_subject_coordinated_with_a_non_actor(triples: Triples) -> None:
    assert triples("France and Germany on Monday called for a ceasefire.") == {
        ("france", SETTLE, 1)
    }
