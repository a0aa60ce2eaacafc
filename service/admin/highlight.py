"""Cut a document's text into segments by evidence spans (pure, for the document page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    id: int
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Segment:
    text: str
    spans: tuple[Span, ...]  # the evidence covering this piece of text
    ending: tuple[Span, ...]  # the evidence whose span ends right after it


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """Consecutive pieces of ``text``; each knows which spans cover it, so
    overlapping evidence (one sentence, two topics) is shown without losing any."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    out: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = tuple(s for s in valid if s.start <= start and end <= s.end)
        ending = tuple(s for s in valid if s.end == end)
        out.append(Segment(text[start:end], covering, ending))
    return out
