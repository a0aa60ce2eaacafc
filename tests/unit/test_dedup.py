"""Near-duplicate signatures on real-looking stories: the threshold's margins.

The numbers asserted here are the ones docs/ingestion.md quotes."""

from __future__ import annotations

import pytest

from service.ingestion import dedup
from service.settings import load_settings
from tests.integration import wire_stories as w

THRESHOLD = load_settings(env={}).near_duplicate_threshold


def jaccard(a: str, b: str) -> float:
    sa, sb = dedup.shingles(a), dedup.shingles(b)
    return len(sa & sb) / len(sa | sb)


def estimated(a: str, b: str) -> float:
    one, two = dedup.signature(a), dedup.signature(b)
    assert one is not None and two is not None
    return dedup.similarity(one.values, two.values)


def test_the_threshold_is_the_documented_one() -> None:
    assert THRESHOLD == 0.5
    assert dedup.lsh_layout() == (37, 3)


def test_a_wire_story_lightly_edited_on_another_site_is_caught() -> None:
    exact = jaccard(w.WIRE_MACRON, w.SYNDICATED_MACRON)
    assert 0.70 < exact < 0.80  # about 0.74: new dateline, words changed, a paragraph swapped
    assert estimated(w.WIRE_MACRON, w.SYNDICATED_MACRON) >= THRESHOLD + 0.1


@pytest.mark.parametrize(
    "other", [w.OTHER_FRANCE, w.CHINA_WANG_YI, w.KREMLIN_PESKOV, w.UKRAINE_KULEBA]
)
def test_different_stories_on_the_same_topic_are_not(other: str) -> None:
    assert jaccard(w.WIRE_MACRON, other) < 0.05
    assert estimated(w.WIRE_MACRON, other) < THRESHOLD - 0.3


def test_a_copy_that_keeps_only_the_first_half_is_below_the_threshold() -> None:
    """Where the line falls: a copy must share most of the story, not only its opening."""
    half = "\n\n".join(w.WIRE_MACRON.split("\n\n")[:3])
    assert jaccard(w.WIRE_MACRON, half) < THRESHOLD


def test_layout_case_and_punctuation_do_not_matter() -> None:
    shouted = w.WIRE_MACRON.upper().replace("\n\n", "\n").replace(",", " ,")
    assert dedup.signature(shouted) == dedup.signature(w.WIRE_MACRON)


def test_short_texts_get_no_signature() -> None:
    assert (
        dedup.signature("Chinese Foreign Minister Wang Yi said China supports peace talks.") is None
    )
    assert dedup.signature(w.UKRAINE_KULEBA) is not None  # about 100 words


def test_signatures_are_stable_and_banded() -> None:
    sig = dedup.signature(w.CHINA_WANG_YI)
    assert sig is not None and len(sig.values) == dedup.NUM_PERM
    assert len(sig.band_keys) == 37 and len(set(sig.band_keys)) == 37
    assert all(0 <= v < 2**32 for v in sig.values)
    assert all(-(2**63) <= k < 2**63 for k in sig.band_keys)
    assert dedup.signature(w.CHINA_WANG_YI) == sig  # same in every process (no hash())


def test_the_written_down_layout_is_datasketchs() -> None:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=dedup.LSH_DESIGN_THRESHOLD, num_perm=dedup.NUM_PERM)
    assert (lsh.b, lsh.r) == dedup.LSH_LAYOUT


@pytest.mark.parametrize(
    "text", [w.WIRE_MACRON, w.CHINA_WANG_YI, w.UKRAINE_KULEBA, "Ünïcödé İstanbul straße " * 30]
)
def test_signatures_are_datasketchs_value_for_value(text: str) -> None:
    """Signatures stored before the vectorised MinHash must compare with new ones."""
    from datasketch import MinHash

    reference = MinHash(num_perm=dedup.NUM_PERM, seed=1, scheme="affine32")
    reference.update_batch(sorted(dedup.shingles(text)))
    sig = dedup.signature(text)
    assert sig is not None
    assert sig.values == [int(v) for v in reference.hashvalues]
    assert sig.band_keys == dedup.band_keys([int(v) for v in reference.hashvalues])
    assert dedup.SCHEME == "minhash-affine32-128-w3"
