"""Actor mentions: which words of the article name a government, and which only a place.

A mention is kept only when it can speak for its state on the article's date: people within
their dated roles and not called "former", adjectives only before a government noun
("the French president", "Chinese officials"), names and capitals not used as places
("in Beijing", "to Moscow", "Paris time").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from service.extraction.context import is_former, is_place
from service.extraction.matchers import AliasMatcher
from service.extraction.specs import AliasSpec

GOVERNMENT_NOUN = (
    r"(?:president|presidency|leader|leadership|government|authorities|officials?|side|"
    r"minister|ministry|diplomats?|diplomatic|diplomacy|envoy|ambassador|embassy|delegation|"
    r"spokes(?:man|woman|person)|representative|premier|counterpart|mission|administration|"
    r"head of state|state media|foreign|defen[cs]e|prime|deputy|top|senior|permanent|special|"
    r"chief|acting|statement|proposal|position|plan|peace plan|initiative|leaders)"
)
_GOV_CONTEXT = re.compile(rf"\s+{GOVERNMENT_NOUN}\b", re.IGNORECASE)
_PLACE_AFTER = re.compile(r"\s+(?:time|region|oblast|city|airport|street)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor_id: str
    kind: str


def _person_valid(work: str, start: int, aliases: list[AliasSpec], day: date) -> bool:
    if not any(alias.valid_on(day) for alias in aliases):
        return False
    return not is_former(work, start, span=2)


def _kind_valid(work: str, start: int, end: int, kind: str) -> bool:
    """Context rules for the non-person kinds of alias."""
    if is_former(work, start):
        return False
    if kind == "adjective":
        return _GOV_CONTEXT.match(work, end) is not None
    if kind in ("name", "metonym"):
        if is_place(work, start) or _PLACE_AFTER.match(work, end):
            return False
    return True


def find_mentions(work: str, day: date, matcher: AliasMatcher) -> list[Mention]:
    """All valid actor mentions in a working copy, in text order."""
    found: list[Mention] = []
    for start, end, form in matcher.finditer(work):
        by_actor: dict[str, list[AliasSpec]] = {}
        for actor_id, alias in matcher.index.get(form, ()):
            by_actor.setdefault(actor_id, []).append(alias)
        for actor_id, aliases in by_actor.items():
            kind = aliases[0].kind
            if kind == "person":
                ok = _person_valid(work, start, aliases, day)
            else:
                ok = _kind_valid(work, start, end, kind)
            if ok:
                found.append(Mention(start, end, actor_id, kind))
    return found
