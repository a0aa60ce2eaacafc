"""Literal anchors of cue patterns, so one Aho-Corasick pass finds where cues can match.

Running every cue regex over every position of an article is the slow part of rule-based
extraction. Each pattern instead gets a set of literal words of which at least one must
occur in any match (the most selective required element: "negotiat" for "negotiat\\w+",
{"plan", "formula", "proposal"} for "(plan|formula|proposals?)"). Only sentences that
hold an anchor are searched with the full pattern.
"""

from __future__ import annotations

MIN_ANCHOR = 3
_META = set("\\.^$*+?{}[]()|")


def _split_top(text: str, separator: str) -> list[str]:
    """Split at `separator` where it is outside parentheses and character classes."""
    parts, depth, in_class, current = [], 0, False, []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            current.append(text[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _literal_prefix(text: str) -> str:
    """Leading literal characters; a character made optional by ? * or {0, is dropped."""
    end = 0
    while end < len(text) and text[end] not in _META and text[end] != " ":
        end += 1
    if end < len(text) and text[end] in "?*{" and end > 0:
        end -= 1
    return text[:end].lower()


def _group_end(text: str) -> int:
    """Index just past the parenthesised group that opens `text` (or -1)."""
    depth, in_class, i = 0, False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _optional_suffix(text: str, at: int) -> int:
    """Length of a quantifier at `at` that makes the preceding item optional (?, *, {0,n})."""
    if text[at : at + 1] in ("?", "*"):
        return 1
    if text.startswith("{0,", at):
        close = text.find("}", at)
        return close - at + 1 if close > 0 else 0
    return 0


def _is_optional(element: str) -> bool:
    if not element.startswith("(") or element.startswith("(?"):
        return False
    end = _group_end(element)
    return end > 0 and _optional_suffix(element, end) == len(element) - end > 0


def _element_anchors(element: str) -> list[str] | None:
    """Anchors of one required element, or None when it has no usable literal."""
    if element.startswith("{"):
        return None
    if element.startswith("(") and not element.startswith("(?"):
        end = _group_end(element)
        skip = _optional_suffix(element, end) if end > 0 else 0
        if skip:
            rest = element[end + skip :]
            return _element_anchors(rest) if rest else None
        if end != len(element):
            return None
        alternatives = _split_top(element[1:-1], "|")
        found = [_first_anchor(alt) for alt in alternatives]
        if all(found):
            return [a for a in found if a]
        return None
    prefix = _literal_prefix(element)
    return [prefix] if len(prefix) >= MIN_ANCHOR else None


def _first_anchor(alternative: str) -> str | None:
    elements = [e for e in _split_top(alternative.strip(), " ") if e]
    for element in elements:
        if _is_optional(element):
            continue
        anchors = _element_anchors(element)
        if anchors and len(anchors) == 1:
            return anchors[0]
        return None
    return None


# Words so common that an anchor made of them selects almost every sentence.
COMMON = frozenset(
    "with for through the and any against open hold start end ask call play plan role help "
    "join return begin bring build want seek ready more new further force forces troops "
    "continue war would will could should can must is are was were have has had use used "
    "side aid talk talks fire russia russian ukraine ukrainian china chinese".split()
)


def _selectivity(anchors: list[str]) -> tuple[int, int]:
    common = sum(a in COMMON for a in anchors)
    return (-common, min(map(len, anchors)))


def anchor_groups(pattern: str) -> list[list[str]]:
    """Anchor sets of every required element, the most selective first.

    A match needs one anchor of each group; the first group is the one the index is keyed
    on, the others are checked as a cheap filter before the regular expression runs.
    """
    groups: list[list[str]] = []
    for element in _split_top(pattern.replace("...", " "), " "):
        if not element or _is_optional(element):
            continue
        anchors = _element_anchors(element)
        if anchors:
            groups.append(anchors)
    groups.sort(key=_selectivity, reverse=True)
    return groups


def pattern_anchors(pattern: str) -> list[str] | None:
    """The most selective anchor set of a lexicon pattern (before translation), or None."""
    groups = anchor_groups(pattern)
    return groups[0] if groups else None
