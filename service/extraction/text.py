"""Length-preserving normalisation, sentence splitting and quote spans.

Every offset the extractor reports points into the caller's text, so nothing here may
insert or delete characters: normalisation maps single characters to single characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONE_FOR_ONE = (
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'), ("\u00ab", '"'),
    ("\u00bb", '"'), ("\u2033", '"'), ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"),
    ("\u201b", "'"), ("\u02bc", "'"), ("\u2032", "'"), ("\u00a0", " "), ("\u2007", " "),
    ("\u2009", " "), ("\u202f", " "), ("\u200b", " "), ("\u2010", "-"), ("\u2011", "-"),
    ("\t", " "), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n"),
)  # fmt: skip

# Words that end in a full stop without ending the sentence (compared case-sensitively).
ABBREVIATIONS = frozenset(
    """Mr Mrs Ms Mx Dr Prof Gen Lt Col Capt Maj Sgt Adm Cmdr Sen Rep Gov Amb Pres Supt Rev Fr
    St Mt Jr Sr No Nos vs etc al Inc Ltd Co Corp Bros Dept Univ approx est fig cf ie eg
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thurs Fri Sat Sun
    a.m p.m U.S U.N U.K E.U U.S.A""".split()
)

_QUOTE = re.compile('"')
_NEWLINE = re.compile("\n")
_END = re.compile(r"[.!?\u2026]+[\"')\]]*")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_OPENER = re.compile(r"\s*[\"'(\[\-\u2013\u2014]*[A-Z0-9\u00c0-\u024f\u0400-\u04ff]")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int


def working_copy(text: str) -> str:
    """Same length as `text`, with curly quotes straightened and odd spaces made plain."""
    # A chain of str.replace is several times faster than str.translate with a dict.
    for old, new in _ONE_FOR_ONE:
        if old in text:
            text = text.replace(old, new)
    return text


def _is_abbreviation(work: str, dot: int, line_start: int) -> bool:
    word = _WORD_BEFORE.search(work, max(line_start, dot - 12), dot)
    if word is None:
        return False
    token = word.group(1)
    if token in ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J. Smith", "U.S.", "a.m."
    return len(token.rstrip(".").split(".")[-1]) == 1 and token[-1:].isalpha()


def _line_breaks(work: str, start: int, end: int) -> list[int]:
    """Sentence ends within one line: after . ! ? (and closing quotes) before a capital."""
    cuts: list[int] = []
    for match in _END.finditer(work, start, end):
        after = match.end()
        if after >= end:
            break
        closed_quote = (
            match.group()[-1] in "\"')]" or work[match.start() - 1 : match.start()] == '"'
        )
        if not work[after].isspace() and not (closed_quote and work[after].isupper()):
            continue
        if not _OPENER.match(work, after):
            continue
        if match.group()[0] == "." and _is_abbreviation(work, match.start(), start):
            continue
        cuts.append(after)
    return cuts


def _trimmed(work: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and work[start].isspace():
        start += 1
    while end > start and work[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(work: str) -> list[Sentence]:
    """Sentences of a working copy: every line break ends one, so does . ! ? before a capital."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line_end in [*(m.start() for m in _NEWLINE.finditer(work)), len(work)]:
        begin = line_start
        for cut in [*_line_breaks(work, line_start, line_end), line_end]:
            span = _trimmed(work, begin, cut)
            if span is not None:
                spans.append(span)
            begin = cut
        line_start = line_end + 1
    return [Sentence(i, s, e) for i, (s, e) in enumerate(spans)]


def quote_spans(work: str) -> list[tuple[int, int]]:
    """Double-quoted stretches, paired per paragraph; an unclosed quote runs to the line's end."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line_end in [*(m.start() for m in _NEWLINE.finditer(work)), len(work)]:
        marks = [m.start() for m in _QUOTE.finditer(work, line_start, line_end)]
        for pair in range(0, len(marks), 2):
            open_at = marks[pair]
            close_at = marks[pair + 1] + 1 if pair + 1 < len(marks) else line_end
            spans.append((open_at, close_at))
        line_start = line_end + 1
    return spans
