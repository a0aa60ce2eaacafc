"""The words just before a mention: cheap tests for places, "former", titles and objects.

These run once per mention, so they look at a few whitespace-separated words instead of
searching a regular expression backwards through the text.
"""

from __future__ import annotations

REACH = 40

PLACE_WORDS = frozenset(
    "in to from at into across near via toward towards inside outside around throughout "
    "visit visits visited visiting arrived reached".split()
)
FORMER_WORDS = frozenset("former ex ex- late then then-".split())
DETERMINERS = frozenset("the his her its their a an both all".split())
TITLE_WORDS = frozenset(
    "mr mrs ms dr the president prime foreign defence defense minister spokesman spokeswoman "
    "spokesperson leader ambassador envoy representative premier chancellor secretary deputy "
    "chief top senior adviser advisor special permanent press".split()
)
OBJECT_WORDS = frozenset(
    "told tell tells telling convince convinced persuade persuaded pressed pressure pressuring "
    "with to from against on into in at met meet meets meeting visit visited visiting between "
    "for of about than toward towards over among including behind involve briefed".split()
)
OBJECT_PREFIXES = (
    "urg", "ask", "invit", "compel", "forc", "allow", "help", "join", "request", "encourag",
    "thank", "accus", "blam", "sanction",
)  # fmt: skip
OBJECT_PAIRS = frozenset(
    "call on|calls on|called on|calling on|count on|counting on|reached out|reaching out".split("|")
)


def words_before(work: str, start: int, reach: int = REACH) -> list[str]:
    """Whitespace-separated words before `start`, nearest first (a cut-off first word dropped)."""
    low = max(0, start - reach)
    words = work[low:start].split()
    if low > 0 and words and not work[low - 1].isspace():
        words = words[1:]
    return words[::-1]


def is_place(work: str, start: int) -> bool:
    """'in Beijing', 'to the Kremlin': the name is where something happens, not who acts."""
    words = [w.lower() for w in words_before(work, start, 24)[:2]]
    if words and words[0] == "the":
        words = words[1:]
    return bool(words) and words[0] in PLACE_WORDS


def is_former(work: str, start: int, span: int = 3) -> bool:
    """'former French president', 'ex-minister': no longer speaks for the state."""
    words = [w.lower() for w in words_before(work, start)[:span]]
    return any(w in FORMER_WORDS or w.startswith("ex-") for w in words)


def title_start(work: str, start: int) -> int:
    """Extend a noun phrase left over titles: 'Mr' Xi, 'the' Kremlin, 'Prime Minister' X."""
    cursor = start
    for word in words_before(work, start):
        if word.lower() not in TITLE_WORDS:
            break
        cursor = work.rfind(word, 0, cursor)
    return cursor


def is_object(work: str, start: int) -> bool:
    """True when a request verb or preposition governs the phrase ('urged Xi to', 'with Russia')."""
    words = [w.lower() for w in words_before(work, start)[:3]]
    if words and words[0] in DETERMINERS:
        words = words[1:]
    if not words:
        return False
    first = words[0]
    if first in OBJECT_WORDS or first.startswith(OBJECT_PREFIXES):
        return True
    return len(words) > 1 and f"{words[1]} {first}" in OBJECT_PAIRS
