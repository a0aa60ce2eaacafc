"""extract(): text → sentences → actor mentions → attribution → topic cues → Evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from service.extraction.attribution import Holder, attribute, holder_for
from service.extraction.cues import CueHit, find_cues
from service.extraction.frames import build_frames, build_phrases
from service.extraction.lexicon import Lexicon
from service.extraction.mentions import find_mentions
from service.extraction.text import quote_spans, split_sentences, working_copy


@dataclass(frozen=True)
class Evidence:
    """One attributed position: `text[char_start:char_end] == quote` (the whole sentence).

    (document, char_start, char_end, topic_id, actor_id) is its identity; analysts'
    corrections are keyed on it, so the same text and lexicon always give the same spans.
    """

    actor_id: str
    topic_id: str
    polarity: float
    strength: float
    confidence: float
    sentence_index: int
    char_start: int
    char_end: int
    quote: str
    speaker: str | None
    cue_ids: tuple[str, ...]


def _merge(text: str, hits: list[tuple[CueHit, Holder]], actor_id: str) -> Evidence:
    """One evidence item per (sentence, actor, topic): polarity is the strength-weighted mean."""
    total = sum(hit.strength for hit, _ in hits)
    polarity = sum(hit.polarity * hit.strength for hit, _ in hits) / total
    first_hit, holder = hits[0]
    sentence = first_hit.sentence
    cue_ids = sorted({hit.cue.id for hit, _ in hits} | {f"attr/{h.rule}" for _, h in hits})
    return Evidence(
        actor_id=actor_id,
        topic_id=first_hit.cue.topic_id,
        polarity=round(max(-1.0, min(1.0, polarity)), 4),
        strength=round(max(hit.strength for hit, _ in hits), 4),
        confidence=round(max(h.confidence for _, h in hits), 4),
        sentence_index=sentence.index,
        char_start=sentence.start,
        char_end=sentence.end,
        quote=text[sentence.start : sentence.end],
        speaker=holder.speaker or None,
        cue_ids=tuple(cue_ids),
    )


def extract(text: str, published_at: date, lexicon: Lexicon) -> list[Evidence]:
    """All evidence in `text`; pure and deterministic, offsets point into `text` itself."""
    if lexicon.alias_matcher is None or lexicon.cue_index is None:
        return []
    if isinstance(published_at, datetime):  # a timestamp compares with role dates by its day
        published_at = published_at.date()
    work = working_copy(text)
    sentences = split_sentences(work)
    mentions = find_mentions(work, published_at, lexicon.alias_matcher)
    phrases = build_phrases(work, mentions)
    frames = build_frames(work, phrases)
    att = attribute(work, sentences, quote_spans(work), phrases, frames)
    grouped: dict[tuple[int, str, str], list[tuple[CueHit, Holder]]] = {}
    for hit in find_cues(work, sentences, lexicon.cue_index):
        holder = holder_for(att, hit.sentence, hit.start, hit.cue)
        if holder is None:
            continue
        for actor_id in holder.actor_ids:
            if hit.cue.allows(actor_id):
                key = (hit.sentence.index, actor_id, hit.cue.topic_id)
                grouped.setdefault(key, []).append((hit, holder))
    evidence = [_merge(text, hits, key[1]) for key, hits in grouped.items()]
    evidence.sort(key=lambda e: (e.char_start, e.char_end, e.topic_id, e.actor_id))
    return evidence
