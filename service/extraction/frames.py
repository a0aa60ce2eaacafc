"""Attribution frames: "who is doing the saying" in each clause.

A frame ties a verb of saying, stance or official action to its holder: the noun phrase
before it ("the Kremlin said", "China, which has refused to"), after it
("…," said Kremlin spokesman Dmitry Peskov; "according to Beijing"), a pronoun ("he added")
resolved later, or a possessive ("Putin's announcement of"). Noun phrases that are the
object of a request ("urged Xi to", "told Mr Xi") or a place never hold a position.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from service.extraction.context import is_object as object_before
from service.extraction.context import title_start
from service.extraction.mentions import Mention

_TITLE = (
    r"(?:president|prime|foreign|defen[cs]e|minister|ministry|spokes(?:man|woman|person)|leader|"
    r"ambassador|envoy|representative|premier|chancellor|secretary|deputy|chief|top|senior|"
    r"diplomat|diplomatic|adviser|advisor|head|special|permanent|press|affairs|counterpart|"
    r"officials?|side|government|source|state|of|the|for|de|and)"
)
_NP_GAP = re.compile(rf"(?:'s)?(?:\s+(?:[A-Z][\w'\-]*\.?|(?i:{_TITLE})))*\s+|'s\s+")
_APPOSITION = re.compile(r"\s*,\s*")
VERB = (
    r"(?:said|says|say|saying|told|tells|added|adds|stated|states|declared|declares|announced|"
    r"announces|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|underlined|underscored|"
    r"reiterated|reiterates|repeated|insisted|insists|argued|argues|warned|warns|urged|urges|"
    r"called|calls|asked|asks|requested|requests|requesting|demanded|demands|advocated|advocates|"
    r"supported|supports|backed|backs|welcomed|welcomes|condemned|condemns|denounced|denounces|"
    r"critici[sz]ed|critici[sz]es|rejected|rejects|dismissed|dismisses|refused|refuses|declined|"
    r"acknowledged|acknowledges|admitted|admits|confirmed|confirms|expressed|expresses|believes?|"
    r"believed|hopes?|hoped|wants?|wanted|plans?|planned|intends?|proposed|proposes|released|"
    r"releases|issued|issues|published|voted|votes|vetoed|vetoes|delivered|delivers|sent|sends|"
    r"supplied|supplies|pledged|pledges|promised|promises|vowed|vows|deployed|deploys|annexed|"
    r"annexes|recogni[sz]ed|signed|approved|agreed|agrees|accused|accuses|described|describes|"
    r"characteri[sz]ed|questioned|questions|excluded|excludes|ruled|recalled|highlighted|conveyed|"
    r"briefed|explained|pressed|pushed|sought|seeks|favou?rs|opposes|opposed|reacted|responded|"
    r"replied|spoke|threatened|threatens|decided|decides|reported|touched|defined|concluded|"
    r"continued|continues|assesses|assessed|positively|considers|considered|regards|sees|reached|"
    r"reaffirmed|reaffirms|affirmed|mentioned|suggested|suggests|offered|offers|invited|invites|"
    r"ready|willing|prepared|committed|determined|opposed|keen|trying|seeking|working|pushing|"
    r"pressing|planning|preparing|aiming|calling|urging|has|have|had|is|are|was|were|"
    r"will|would|must|should|can|could|may|might|cannot|did|does|do)"
)
_FILLER = (
    r"(?:\w+ly|also|again|earlier|later|then|now|already|still|once|on|in|at|this|last|next|"
    r"week|month|year|\d+(?:st|nd|rd|th)?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|afternoon|morning|evening|night|"
    r"day|today|yesterday|recently|first|further|publicly|officially|however|meanwhile|"
    r"reportedly|himself|herself|itself|both|too|not|never|always|long|has|have|had|been|will|"
    r"would)"
)
_HOLDER_TAIL = (
    r"(?:'s\s+(?:[\w\-]+\s+){0,2}?(?:entourage|office|government|administration|spokes\w+|"
    r"ministry|envoy|delegation|side|team|aides?|press service|mission|embassy|ambassador|"
    r"representative|leader|leadership|president|minister|diplomats?|officials?)"
    r"|,\s*(?:who|which)|,[^,\".;:]{1,70},|\s*,)?"
    # a partner that is not one of our actors: "China and Brazil pressed ahead"
    r"(?:\s+and\s+(?:the\s+)?[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)?"
    # a place that only locates the holder: "the Chinese embassy in Kyiv said"
    r"(?:\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)?"
)
_VERB_AFTER = re.compile(rf"{_HOLDER_TAIL}(?:\s+\"?{_FILLER}){{0,5}}\s+\"?(?P<verb>{VERB})\b")
_HEADLINE_COLON = re.compile(r"\s*(?P<verb>:)")
# "The statement reads ...", "Their proposal calls for ...": the document of the last speaker.
_DOCUMENT = re.compile(
    r"(?<![\w'])(?P<pron>(?:[Tt]he|[Tt]heir|[Ii]ts|[Tt]his)\s+(?:joint\s+)?(?:paper|statement|plan|"
    r"proposal|document|communiqu[e\u00e9]|declaration|letter|position paper))\s+(?:also\s+)?"
    r"(?P<verb>says|said|states|stated|reads|read|calls|called|urges|urged|stresses|stressed|"
    r"emphasi[sz]es|notes|proposes|demands)\b"
)
_NP_RIGHT = re.compile(
    r"(?:\s+(?i:president|leader|leadership|government|authorities|officials?|minister|ministry|"
    r"diplomats?|envoy|ambassador|embassy|delegation|spokes(?:man|woman|person)|representative|"
    r"premier|counterpart|administration|foreign|defen[cs]e|prime|deputy|top|senior|side))+"
)
_POSSESSIVE = re.compile(
    r"'s\s+(?:\w+\s+)?(?P<verb>announcement|announcements|decision|declaration|statement|"
    r"proposal|plans?|refusal|reluctance|dismissal|rejection|call|calls|position|initiative|"
    r"stance|threats?|deployment|recognition|readiness|willingness|demands?|annexations?)\b",
    re.IGNORECASE,
)
# Verb first, then the holder: '…," said Peskov', '- highlighted the president -'. The verb
# must follow a quote, comma, dash or line start; starting the pattern with those few
# characters lets the regex engine skip most of the text.
_INVERTED = re.compile(
    r"(?:\"\s*,?|,|[\-\u2013\u2014]|^)\s*(?P<verb>said|added|told|stated|explained|asked|noted|"
    r"stressed|wrote|continued|concluded|highlighted|insisted|warned|emphasi[sz]ed|recalled|"
    r"according to|reports?|reported)\s+(?:the\s+)?",
    re.IGNORECASE | re.MULTILINE,
)
_PRONOUN = re.compile(
    # "it" is left out: as often as not it is expletive ("it is unclear whether ...").
    rf"(?<![\w'])(?P<pron>[Hh]e|[Ss]he|[Tt]hey)(?:\s+{_FILLER}){{0,4}}\s+(?P<verb>{VERB})\b"
)
POSSESSIVE_REACH = 60


@dataclass(frozen=True)
class Phrase:
    start: int
    end: int
    actor_ids: tuple[str, ...]
    personal: bool


@dataclass(frozen=True)
class Frame:
    kind: str
    start: int
    end: int
    verb_start: int
    verb_end: int
    actor_ids: tuple[str, ...]
    personal: bool


def build_phrases(work: str, mentions: list[Mention]) -> list[Phrase]:
    """Merge adjacent mentions into noun phrases ("French President Emmanuel Macron")."""
    phrases: list[Phrase] = []
    group: list[Mention] = []
    for mention in [*mentions, None]:
        if mention is not None and group:
            gap = work[group[-1].end : mention.start]
            same_actor = mention.actor_id == group[-1].actor_id
            if (
                mention.start < group[-1].end
                or (len(gap) < 40 and _NP_GAP.fullmatch(gap))
                or (same_actor and _APPOSITION.fullmatch(gap))
            ):
                group.append(mention)
                continue
        if group:
            phrases.append(_phrase(work, group))
        group = [mention] if mention is not None else []
    return phrases


def _phrase(work: str, group: list[Mention]) -> Phrase:
    start = group[0].start
    start = title_start(work, start)
    end = max(m.end for m in group)
    right = _NP_RIGHT.match(work, end)
    if right is not None:
        end = right.end()
    actors = tuple(dict.fromkeys(m.actor_id for m in group))
    personal = any(m.kind in ("person", "adjective", "institution") for m in group)
    return Phrase(start, end, actors, personal)


def is_object(work: str, phrase: Phrase) -> bool:
    """True when the phrase is governed by a request verb or preposition ("urged Xi to")."""
    return object_before(work, phrase.start)


def _opens_line(work: str, start: int) -> bool:
    return start == 0 or work[start - 1] == "\n"


def _subject_frames(work: str, phrases: list[Phrase]) -> list[Frame]:
    frames: list[Frame] = []
    for phrase in phrases:
        if is_object(work, phrase):
            continue
        found = _VERB_AFTER.match(work, phrase.end)
        kind = "subject"
        if found is None and _opens_line(work, phrase.start):
            found = _HEADLINE_COLON.match(work, phrase.end)  # "Kremlin: no talks this year"
        if found is None:
            found = _POSSESSIVE.match(work, phrase.end)
            kind = "possessive"
        if found is not None:
            start, end = found.span("verb")
            frames.append(
                Frame(kind, phrase.start, phrase.end, start, end, phrase.actor_ids, phrase.personal)
            )
    return frames


def _inverted_frames(work: str, phrases: list[Phrase]) -> list[Frame]:
    starts = [p.start for p in phrases]
    frames: list[Frame] = []
    for found in _INVERTED.finditer(work):
        at = bisect_left(starts, found.end())
        if at < len(phrases) and phrases[at].start - found.end() <= 2:
            phrase = phrases[at]
            start, end = found.span("verb")
            frames.append(
                Frame(
                    "inverted",
                    phrase.start,
                    phrase.end,
                    start,
                    end,
                    phrase.actor_ids,
                    phrase.personal,
                )
            )
    return frames


def build_frames(work: str, phrases: list[Phrase]) -> list[Frame]:
    """Every frame in the text, ordered by the position of its verb."""
    frames = _subject_frames(work, phrases) + _inverted_frames(work, phrases)
    for pattern in (_PRONOUN, _DOCUMENT):
        for found in pattern.finditer(work):
            start, end = found.span("verb")
            pron_start, pron_end = found.span("pron")
            frames.append(Frame("pronoun", pron_start, pron_end, start, end, (), True))
    frames.sort(key=lambda f: (f.verb_start, f.start))
    return frames
