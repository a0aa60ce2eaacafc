"""Topic cues: polarity, negation, refusal, modality and holder restrictions."""

from __future__ import annotations

from collections.abc import Callable

from service.extraction import Evidence

Triples = Callable[..., set[tuple[str, str, int]]]
Extract = Callable[..., list[Evidence]]


def test_negation_flips_a_cue(triples: Triples) -> None:
    assert triples("Moscow said it would not join any peace talks.") == {
        ("russia", "negotiated-settlement", -1)
    }
    assert triples("Moscow said it would join peace talks.") == {
        ("russia", "negotiated-settlement", 1)
    }


def test_refusal_to_condemn(triples: Triples) -> None:
    assert triples("China has refused to condemn the invasion.") == {
        ("china", "russia-accountability", -1)
    }
    assert triples("France condemned the invasion in the strongest terms.") == {
        ("france", "russia-accountability", 1)
    }


def test_never_recognise_annexation_is_support_for_sovereignty(triples: Triples) -> None:
    assert ("france", "ukraine-sovereignty", 1) in triples(
        "Paris said it will never recognise the annexations."
    )


def test_cue_with_its_own_negation_is_not_flipped(triples: Triples) -> None:
    assert triples("Beijing said nuclear weapons must not be used.") == {
        ("china", "nuclear-restraint", 1)
    }


def test_no_prospects_opposes_settlement(triples: Triples) -> None:
    assert triples("The Kremlin said there were no prospects for peace talks.") == {
        ("russia", "negotiated-settlement", -1)
    }


def test_modality_lowers_strength(evidence: Extract) -> None:
    (plain,) = evidence("France said it will send more missiles to Ukraine.")
    (modal,) = evidence("France said it could send more missiles to Ukraine.")
    assert plain.polarity == modal.polarity == 1
    assert modal.strength < plain.strength == 1.0


def test_heavily_conditional_offer_is_not_a_stance(triples: Triples) -> None:
    text = "Putin said Russia would enter peace talks only if Kyiv gave up four regions."
    assert ("russia", "negotiated-settlement", 1) not in triples(text)


def test_holder_restriction_keeps_deployment_for_russia(triples: Triples) -> None:
    assert triples("China criticised plans to deploy nuclear weapons in Belarus.") == set()


def test_threats_count_only_when_arms_are_discussed(triples: Triples) -> None:
    with_arms = "France delivered tanks to Kyiv. The Kremlin called it a mistake."
    without = "The Kremlin called the tariff plan a mistake."
    assert ("russia", "military-aid-ukraine", -1) in triples(with_arms)
    assert triples(without) == set()


def test_china_mediation_from_others_and_from_china(triples: Triples) -> None:
    assert triples("Kyiv urged Beijing to use its influence on Moscow.") == {
        ("ukraine", "china-mediation", 1)
    }
    assert ("china", "china-mediation", 1) in triples(
        "China released a 12-point peace plan for Ukraine."
    )
    assert ("ukraine", "china-mediation", -1) in triples(
        "Zelensky dismissed the Chinese proposals as one-sided."
    )


def test_one_evidence_per_sentence_actor_topic(evidence: Extract) -> None:
    items = evidence("Mr Xi said peace talks and a ceasefire were needed, and dialogue too.")
    assert len(items) == 1
    assert items[0].cue_ids == (
        "attr/subject",
        "negotiated-settlement/ceasefire",
        "negotiated-settlement/peace-talks",
    )


def test_explicit_cue_wins_over_an_overlapping_generic_one(evidence: Extract) -> None:
    (item,) = evidence("Beijing said it opposed unilateral sanctions against Russia.")
    assert (item.actor_id, item.topic_id, item.polarity) == ("china", "russia-accountability", -1)


def test_ground_troops_not_ruled_out(triples: Triples) -> None:
    passive = "Macron said sending troops to Ukraine could not be ruled out."
    active = "Macron said he did not rule out sending troops to Ukraine."
    assert triples(passive) == triples(active) == {("france", "military-aid-ukraine", 1)}


def test_refusing_talks_is_opposing_them(triples: Triples) -> None:
    assert triples("Moscow refused peace talks.") == {("russia", "negotiated-settlement", -1)}


def test_unacceptable_needs_a_russian_wrong_in_view(triples: Triples) -> None:
    assert triples("Paris said the annexation of Crimea was unacceptable.") == {
        ("france", "russia-accountability", 1)
    }
    assert triples("China said the use of nuclear weapons was unacceptable.") == {
        ("china", "nuclear-restraint", 1)
    }


def test_more_settlement_phrasings(triples: Triples) -> None:
    assert triples("Putin said he was ready for talks.") == {("russia", "negotiated-settlement", 1)}
    assert triples("Macron said there was no military solution to the war.") == {
        ("france", "negotiated-settlement", 1)
    }
    assert triples("Russia's defence ministry said peace talks were out of the question.") == {
        ("russia", "negotiated-settlement", -1)
    }


def test_warning_against_sending_troops_is_a_threat(triples: Triples) -> None:
    assert triples("Moscow warned Paris against sending troops to Ukraine.") == {
        ("russia", "military-aid-ukraine", -1)
    }
