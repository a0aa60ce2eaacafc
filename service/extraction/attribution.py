"""Resolve who holds each cue: quote speakers, clause subjects, pronouns carried forward.

Two passes over the sentences. The first resolves every frame (a pronoun takes the last
named holder in its sentence, else the main speaker of earlier sentences) and every quote's
speaker; the second picks, for each cue, the holder that governs it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from service.extraction.frames import POSSESSIVE_REACH, Frame, Phrase
from service.extraction.specs import CueSpec
from service.extraction.text import Sentence

_AUXILIARY = frozenset(
    "has have had is are was were will would must should can could may might did does do".split()
)
_REPORTING = frozenset(
    """said says told tells added adds stated states noted notes stressed stresses emphasised
    emphasized emphasises emphasizes explained insisted insists warned warns reiterated
    reiterates announced announces declared declares argued argues wrote concluded continued
    highlighted recalled acknowledged acknowledges confirmed confirms according reported
    reports replied responded underlined underscored""".split()
)
_POSTPOSED_GAP = re.compile(r"[^.;!?]*[,\"]\s*(?:[A-Za-z]+\s+)?$")
AUXILIARY_REACH = 50
GOVERNING_REACH = 400
CARRY_SPAN = 4  # sentences a pronoun or an unattributed quote may look back for its speaker
POSTPOSED_TAIL = 40
CONFIDENCE = {
    "quote": 0.9,
    "subject": 0.9,
    "inverted": 0.9,
    "postposed": 0.8,
    "possessive": 0.75,
    "pronoun": 0.75,
    "quote-carry": 0.6,
}


@dataclass(frozen=True)
class Holder:
    actor_ids: tuple[str, ...]
    speaker: str
    rule: str
    confidence: float


@dataclass
class Attribution:
    """Resolved frames and quote speakers of one document."""

    work: str
    sentences: list[Sentence]
    quotes: list[tuple[int, int]]
    frames: list[Frame]
    by_sentence: list[list[int]]
    leads: dict[int, Holder] = field(default_factory=dict)
    resolved: dict[int, Holder] = field(default_factory=dict)
    quote_speakers: dict[int, Holder] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._quote_starts = [q[0] for q in self.quotes]
        self.verb_starts = [[self.frames[n].verb_start for n in ns] for ns in self.by_sentence]
        self.by_start: dict[int, list[int]] = {}
        self.by_verb_start: dict[int, list[int]] = {}
        self.by_verb_end: dict[int, list[int]] = {}
        for number, frame in enumerate(self.frames):
            self.by_start.setdefault(frame.start, []).append(number)
            self.by_verb_start.setdefault(frame.verb_start, []).append(number)
            self.by_verb_end.setdefault(frame.verb_end, []).append(number)

    def quote_at(self, offset: int) -> int | None:
        """Number of the quote that contains `offset`, if any."""
        at = bisect_right(self._quote_starts, offset) - 1
        if at >= 0 and self.quotes[at][0] <= offset < self.quotes[at][1]:
            return at
        return None


def _verb(work: str, frame: Frame) -> str:
    return work[frame.verb_start : frame.verb_end].lower().split(" ")[0]


def _named(work: str, frame: Frame, rule: str) -> Holder:
    confidence = CONFIDENCE[rule]
    if _verb(work, frame) in _AUXILIARY:
        confidence *= 0.85
    return Holder(frame.actor_ids, work[frame.start : frame.end], rule, confidence)


def _frames_by_sentence(frames: list[Frame], sentences: list[Sentence]) -> list[list[int]]:
    starts = [s.start for s in sentences]
    grouped: list[list[int]] = [[] for _ in sentences]
    for number, frame in enumerate(frames):
        at = bisect_right(starts, frame.verb_start) - 1
        if at >= 0 and frame.verb_start < sentences[at].end:
            grouped[at].append(number)
    return grouped


def _resolve_frames(att: Attribution, grouped: list[list[int]]) -> None:
    """Resolve the frames of each sentence; pronouns take the last named holder in the
    sentence, else the speaker carried from at most CARRY_SPAN sentences back."""
    carry: Holder | None = None
    carry_at = 0
    for at, numbers in enumerate(grouped):
        if at in att.leads:
            carry, carry_at = att.leads[at], at
        if at - carry_at > CARRY_SPAN:
            carry = None
        last: Holder | None = None
        first: Holder | None = None
        for number in numbers:
            frame = att.frames[number]
            if att.quote_at(frame.start) is not None:
                continue
            if frame.kind == "pronoun":
                source = last or carry
                if source is not None:
                    att.resolved[number] = Holder(
                        source.actor_ids, source.speaker, "pronoun", CONFIDENCE["pronoun"]
                    )
                continue
            holder = _named(att.work, frame, frame.kind)
            att.resolved[number] = holder
            last = holder
            first = first or holder
        if first is not None:
            carry, carry_at = first, at


def _speaker_frame(att: Attribution, quote: tuple[int, int]) -> int | None:
    """The frame right after the closing quote (', he said') or right before the opening one."""
    work = att.work
    after = quote[1]
    while after < len(work) and work[after] in " ,.:\n":
        after += 1
    before = quote[0]
    while before > 0 and work[before - 1] in " ,:\n":
        before -= 1
    found = [
        *(n for n in att.by_verb_start.get(after, ()) if att.frames[n].kind == "inverted"),
        *(n for n in att.by_start.get(after, ()) if att.frames[n].kind in ("subject", "pronoun")),
        *(n for n in att.by_verb_end.get(before, ()) if _verb(work, att.frames[n]) in _REPORTING),
    ]
    resolved = [n for n in found if n in att.resolved]
    return min(resolved) if resolved else None


def _resolve_quotes(att: Attribution) -> None:
    """Speaker of each quote; an unattributed quote opening a sentence right after an
    attributed one (at most CARRY_SPAN sentences later) continues it."""
    starts = [s.start for s in att.sentences]
    opening = set(starts)
    carry: Holder | None = None
    carry_end = 0
    for number, quote in enumerate(att.quotes):
        frame = _speaker_frame(att, quote)
        if frame is not None:
            holder = att.resolved[frame]
            att.quote_speakers[number] = Holder(
                holder.actor_ids, holder.speaker, "quote", holder.confidence
            )
            carry, carry_end = holder, quote[1]
            continue
        between = bisect_left(starts, quote[0]) - bisect_right(starts, carry_end)
        if carry is not None and quote[0] in opening and between <= CARRY_SPAN:
            att.quote_speakers[number] = Holder(
                carry.actor_ids, carry.speaker, "quote-carry", CONFIDENCE["quote-carry"]
            )


def _leads(work: str, sentences: list[Sentence], phrases: list[Phrase]) -> dict[int, Holder]:
    """Sentences that open with an actor ("Emmanuel Macron arrived in Beijing."): later
    pronouns may refer to it even when its verb is not one of ours."""
    starts = {s.start: s.index for s in sentences}
    leads: dict[int, Holder] = {}
    for phrase in phrases:
        at = starts.get(phrase.start)
        if at is not None and at not in leads:
            speaker = work[phrase.start : phrase.end]
            leads[at] = Holder(phrase.actor_ids, speaker, "lead", CONFIDENCE["pronoun"])
    return leads


def attribute(
    work: str,
    sentences: list[Sentence],
    quotes: list[tuple[int, int]],
    phrases: list[Phrase],
    frames: list[Frame],
) -> Attribution:
    """Resolve all frames and quote speakers of a document (pass one)."""
    att = Attribution(work, sentences, quotes, frames, _frames_by_sentence(frames, sentences))
    att.leads = _leads(work, sentences, phrases)
    _resolve_frames(att, att.by_sentence)
    _resolve_quotes(att)
    return att


def _eligible(att: Attribution, number: int, offset: int, cue: CueSpec) -> tuple[bool, bool]:
    """(may govern a cue at `offset`, is a bare auxiliary)."""
    frame = att.frames[number]
    holder = att.resolved.get(number)
    if holder is None:
        return False, False
    if frame.kind == "possessive" and (
        offset - frame.verb_end > POSSESSIVE_REACH
        or not any(cue.allows(actor) for actor in holder.actor_ids)
    ):
        return False, False
    is_aux = _verb(att.work, frame) in _AUXILIARY
    return not (is_aux and offset - frame.verb_end > AUXILIARY_REACH), is_aux


def _governing(att: Attribution, sentence: Sentence, offset: int, cue: CueSpec) -> Holder | None:
    """The nearest resolved frame whose verb comes before `offset` in the sentence.

    A possessive ("Putin's announcement of") governs only nearby cues it may hold, so
    "Peskov condemned France's announcement as a mistake" stays Peskov's. A bare auxiliary
    ("China has ...") reaches only a few words; when an earlier frame in the sentence has
    a real verb ("Russia acknowledged that China has ..."), that one wins. Frames more than
    GOVERNING_REACH characters back are not considered (run-on "sentences" stay linear).
    """
    numbers = att.by_sentence[sentence.index]
    at = bisect_right(att.verb_starts[sentence.index], offset)
    auxiliary: Holder | None = None
    for number in reversed(numbers[:at]):
        if offset - att.frames[number].verb_end > GOVERNING_REACH:
            break
        eligible, is_aux = _eligible(att, number, offset, cue)
        if not eligible:
            continue
        if not is_aux:
            return att.resolved[number]
        auxiliary = auxiliary or att.resolved[number]
    return auxiliary


def _postposed(att: Attribution, sentence: Sentence, offset: int) -> Holder | None:
    """A holder after the cue: '..., Kremlin spokesman Dmitry Peskov told reporters'."""
    numbers = att.by_sentence[sentence.index]
    for number in numbers[bisect_left(att.verb_starts[sentence.index], offset) :]:
        frame = att.frames[number]
        holder = att.resolved.get(number)
        if holder is None or frame.start < offset or frame.kind == "possessive":
            continue
        if (
            _verb(att.work, frame) not in _REPORTING
            or sentence.end - frame.verb_end > POSTPOSED_TAIL
        ):
            return None
        if _POSTPOSED_GAP.match(att.work, offset, frame.start):
            return Holder(holder.actor_ids, holder.speaker, "postposed", CONFIDENCE["postposed"])
        return None
    return None


def holder_for(att: Attribution, sentence: Sentence, start: int, cue: CueSpec) -> Holder | None:
    """Who holds a cue starting at `start` (pass two); None for the journalist's own words."""
    quote = att.quote_at(start)
    if quote is not None and quote in att.quote_speakers:
        return att.quote_speakers[quote]
    return _governing(att, sentence, start, cue) or _postposed(att, sentence, start)
