"""Topic cues: which phrases signal a position, with negation and modality applied.

A cue is only a candidate: it becomes evidence once attribution finds who holds it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from service.extraction.matchers import CueIndex
from service.extraction.specs import CueSpec
from service.extraction.text import Sentence

_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|nor|without|cannot|refus\w*|reluctan\w*\s+to|declin\w*\s+to|"
    r"unwilling\w*\s+to|fail\w*\s+to|rejects?|rejected|rejecting|oppos\w*|dismiss\w*|rul\w*\s+out)|n't)(?:\s+[\w']+){0,3}?\s+$",
    re.IGNORECASE,
)
# A verdict after the cue: "peace talks are impossible", "a ceasefire is out of the question".
_AFTER_NEGATION = re.compile(
    r"\s*(?:[\w']+\s+){0,2}?(?:is|are|was|were|remains?|remained|would be|will be)\s+"
    r"(?:\w+\s+)?(?:impossible|unrealistic|pointless|premature|off the table|out of the question|"
    r"not (?:possible|realistic|on the agenda))\b",
    re.IGNORECASE,
)
AFTER_REACH = 50
OVERLAP_REACH = 300  # no cue match is longer than this
_MODAL = re.compile(r"\b(?:could|may|might|would|possibly|perhaps|if|unless)\b", re.IGNORECASE)
NEGATION_REACH = 45
MODAL_REACH = 40
MODAL_FACTOR = 0.6
_CONDITIONAL = re.compile(
    r"\bonly\b[^.;]{0,80}\bif\b|\bas soon as\b(?! possible)|\bon (?:the )?condition\b"
    r"|\bprovided(?: that)?\b|\bin exchange for\b",
    re.IGNORECASE,
)
CONDITIONAL_FACTOR = 0.3


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    sentence: Sentence
    cue: CueSpec
    polarity: int
    strength: float


def lowered(work: str) -> str:
    """Lower-case copy of the same length (anchors are lower-case); rare letters that
    change length when lower-cased are left as they are."""
    low = work.lower()
    if len(low) == len(work):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in work)


def _context_ok(
    work: str, pattern: re.Pattern[str] | None, sentences: list[Sentence], s: Sentence
) -> bool:
    if pattern is None:
        return True
    begin = sentences[s.index - 1].start if s.index > 0 else s.start
    return pattern.search(work, begin, s.end) is not None


def _qualify(
    work: str, span: tuple[int, int], sentence: Sentence, cue: CueSpec, conditional: bool
) -> tuple[int, float]:
    """Polarity after negation and strength after modality, from the words around the cue."""
    polarity, strength = cue.polarity, cue.strength
    start, end = span
    if cue.negatable and (
        _NEGATION.search(work, max(sentence.start, start - NEGATION_REACH), start)
        or _AFTER_NEGATION.match(work, end, min(sentence.end, end + AFTER_REACH))
    ):
        polarity = -polarity
    if _MODAL.search(work, max(sentence.start, start - MODAL_REACH), start):
        strength *= MODAL_FACTOR
    if conditional:
        strength *= CONDITIONAL_FACTOR
    return polarity, strength


def _candidates(low: str, sentences: list[Sentence], index: CueIndex) -> dict[int, set[int]]:
    """Sentence index -> numbers of the patterns whose anchors all occur in that sentence."""
    starts = [s.start for s in sentences]
    keyed: dict[int, set[int]] = {}
    if not sentences:
        return keyed
    for end, numbers in index.automaton.iter(low):
        at = bisect_right(starts, end) - 1
        if at >= 0 and end < sentences[at].end:
            keyed.setdefault(at, set()).update(numbers)
    for number in index.unanchored:
        for sentence in sentences:
            keyed.setdefault(sentence.index, set()).add(number)
    return {
        at: {
            n
            for n in numbers
            if index.patterns[n].anchors_present(low, sentences[at].start, sentences[at].end)
        }
        for at, numbers in keyed.items()
    }


def find_cues(work: str, sentences: list[Sentence], index: CueIndex) -> list[CueHit]:
    """Every cue occurrence that lies within one sentence, ordered by position."""
    hits: dict[tuple[int, int, str], CueHit] = {}
    low = lowered(work)
    for at, numbers in sorted(_candidates(low, sentences, index).items()):
        sentence = sentences[at]
        conditional = _CONDITIONAL.search(work, sentence.start, sentence.end) is not None
        for number in sorted(numbers):
            pattern = index.patterns[number]
            for found in pattern.regex.finditer(low, sentence.start, sentence.end):
                key = (found.start(), found.end(), pattern.cue.id)
                if key in hits or not _context_ok(work, pattern.context, sentences, sentence):
                    continue
                polarity, strength = _qualify(
                    work, found.span(), sentence, pattern.cue, conditional
                )
                hits[key] = CueHit(
                    found.start(), found.end(), sentence, pattern.cue, polarity, strength
                )
    return _drop_contradicted([hits[key] for key in sorted(hits)])


def _drop_contradicted(hits: list[CueHit]) -> list[CueHit]:
    """Where two cues of one topic overlap with opposite polarity, the explicit one wins:
    in "opposed unilateral sanctions against Russia" the -1 "unilateral sanctions" (a cue
    that carries its own polarity) overrides the +1 "sanctions against Russia"."""
    explicit: dict[str, list[CueHit]] = {}
    for hit in hits:
        if not hit.cue.negatable and not hit.cue.holders:
            explicit.setdefault(hit.cue.topic_id, []).append(hit)
    starts = {topic: [h.start for h in group] for topic, group in explicit.items()}
    return [
        hit
        for hit in hits
        if hit.cue.negatable is False or not _contradicted(hit, explicit, starts)
    ]


def _contradicted(
    hit: CueHit, explicit: dict[str, list[CueHit]], starts: dict[str, list[int]]
) -> bool:
    group = explicit.get(hit.cue.topic_id, [])
    first = bisect_left(starts.get(hit.cue.topic_id, []), hit.start - OVERLAP_REACH)
    for other in group[first:]:
        if other.start >= hit.end:
            return False
        if other.polarity != hit.polarity and hit.start < other.end:
            return True
    return False
