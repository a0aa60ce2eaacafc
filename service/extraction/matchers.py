"""Compile the lexicon into a few regular expressions, once per load.

Alias matching is one alternation over every alias (longest first). Cue patterns are found
through one Aho-Corasick pass over their literal anchors, and each pattern then runs only
on the sentences that hold one of its anchors, so cost grows with the text, not the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from service.extraction.anchors import anchor_groups
from service.extraction.specs import ActorSpec, AliasSpec, CueSpec

SEP = r"[\s\"'()\[\]\-\u2013\u2014]+"
GAP = r"[^\w.;!?]+(?:[\w'\-]+[^\w.;!?]+){0,6}?"
_GAP_MARK = "\x00"
_MACRO = re.compile(r"\{([a-z][a-z0-9-]*)\}")


@dataclass(frozen=True)
class AliasMatcher:
    """An Aho-Corasick automaton of every alias form; its values are the aliases behind a form."""

    automaton: Any
    index: Mapping[str, tuple[tuple[str, AliasSpec], ...]]

    def finditer(self, work: str) -> Iterator[tuple[int, int, str]]:
        """Leftmost-longest alias matches that stand as whole words: (start, end, form)."""
        for last, form in self.automaton.iter_long(work):
            start, end = last - len(form) + 1, last + 1
            if start > 0 and (work[start - 1].isalnum() or work[start - 1] in "_-"):
                continue
            if end < len(work) and (work[end].isalnum() or work[end] in "_-"):
                continue
            yield start, end, form


@dataclass(frozen=True)
class CuePattern:
    """One pattern of one cue, compiled on its own so that cues never hide each other."""

    cue: CueSpec
    regex: re.Pattern[str]
    context: re.Pattern[str] | None
    anchor_groups: tuple[frozenset[str], ...]

    def anchors_present(self, lowered: str, start: int, end: int) -> bool:
        """Whether every other required element has one of its anchors in the sentence."""
        return all(
            any(lowered.find(anchor, start, end) >= 0 for anchor in group)
            for group in self.anchor_groups[1:]
        )


@dataclass(frozen=True)
class CueIndex:
    """All cue patterns plus an Aho-Corasick automaton over every anchor.

    The automaton holds each pattern's most selective anchor group; its value for an anchor is
    the numbers of the patterns keyed on it. The other groups are checked by substring search.
    """

    patterns: tuple[CuePattern, ...]
    automaton: Any
    unanchored: tuple[int, ...]


def surface_key(text: str) -> str:
    """Collapse whitespace so "Xi\u00a0Jinping" and "Xi  Jinping" find the same alias."""
    return " ".join(text.split())


def _alias_regex(text: str) -> str:
    return r"\s+".join(re.escape(part) for part in text.split())


def _alias_variants(text: str) -> list[str]:
    """Lower-case institutional aliases ("the Russian side") also match sentence-initially."""
    if text[:1].islower():
        return [text, text[:1].upper() + text[1:]]
    return [text]


def compile_aliases(actors: Iterable[ActorSpec]) -> AliasMatcher:
    index: dict[str, list[tuple[str, AliasSpec]]] = {}
    for actor in actors:
        for alias in actor.aliases:
            for variant in _alias_variants(alias.text):
                index.setdefault(surface_key(variant), []).append((actor.id, alias))
    automaton = ahocorasick.Automaton()
    for form in sorted(index):
        automaton.add_word(form, form)
    if index:
        automaton.make_automaton()
    return AliasMatcher(automaton, {key: tuple(value) for key, value in index.items()})


def actor_macros(actors: Iterable[ActorSpec], lower: bool = False) -> dict[str, str]:
    """{china} etc.: an alternation of every alias of that actor, for use inside cue patterns.

    With `lower`, the aliases are lower-cased, for patterns run on a lower-cased text."""
    macros = {}
    for actor in actors:
        forms = sorted({surface_key(a.text) for a in actor.aliases}, key=lambda s: (-len(s), s))
        if lower:
            lowered = sorted({f.lower() for f in forms}, key=lambda s: (-len(s), s))
            macros[actor.id] = "(?:" + "|".join(_alias_regex(form) for form in lowered) + ")"
            continue
        # Case-sensitive inside case-insensitive cue patterns: names are proper nouns, and
        # literal first letters let the regex engine reject most positions at once.
        variants = sorted(
            {v for form in forms for v in _alias_variants(form)}, key=lambda s: (-len(s), s)
        )
        macros[actor.id] = "(?-i:" + "|".join(_alias_regex(form) for form in variants) + ")"
    return macros


def translate(pattern: str, macros: Mapping[str, str], lower: bool = False) -> str:
    """Turn the lexicon's pattern notation into a Python regular expression.

    Spaces become SEP, "..." becomes GAP, "{actor}" becomes that actor's aliases, and
    capturing groups become non-capturing so that only the cue's named group is reported.
    With `lower`, literal letters are lower-cased (escapes such as \\W are kept): the
    pattern then runs on a lower-cased text without IGNORECASE, several times faster.
    """
    text = re.sub(r"\s*\.\.\.\s*", _GAP_MARK, pattern.strip())
    out: list[str] = []
    i, in_class = 0, False
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            out.append(ch.lower() if lower else ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == " ":
            out.append(SEP)
        elif ch == _GAP_MARK:
            out.append(GAP)
        elif ch == "(" and not text.startswith("(?", i):
            out.append("(?:")
        elif ch == "{" and (macro := _MACRO.match(text, i)) and macro.group(1) in macros:
            out.append(macros[macro.group(1)])
            i = macro.end()
            continue
        else:
            out.append(ch.lower() if lower else ch)
        i += 1
    return r"(?<!\w)(?:" + "".join(out) + r")(?!\w)"


def compile_cues(cues: Iterable[CueSpec], actors: Iterable[ActorSpec]) -> CueIndex:
    """Compile every cue pattern and index it by its anchors (see anchors.py).

    Patterns are compiled lower-cased for the lower-cased copy of the text; `context`
    patterns stay case-insensitive and run on the working copy."""
    actors = tuple(actors)
    macros, lower_macros = actor_macros(actors), actor_macros(actors, lower=True)
    patterns: list[CuePattern] = []
    keyed: dict[str, list[int]] = {}
    unanchored: list[int] = []
    for cue in cues:
        context = re.compile(translate(cue.context, macros), re.IGNORECASE) if cue.context else None
        for source in cue.patterns:
            number = len(patterns)
            groups = anchor_groups(source)
            regex = re.compile(translate(source, lower_macros, lower=True))
            patterns.append(CuePattern(cue, regex, context, tuple(frozenset(g) for g in groups)))
            if not groups:
                unanchored.append(number)
            for anchor in groups[0] if groups else ():
                keyed.setdefault(anchor, []).append(number)
    automaton = ahocorasick.Automaton()
    for anchor, numbers in keyed.items():
        automaton.add_word(anchor, tuple(numbers))
    if keyed:
        automaton.make_automaton()
    return CueIndex(tuple(patterns), automaton, tuple(unanchored))
