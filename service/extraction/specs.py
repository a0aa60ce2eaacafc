"""Plain data types of the lexicon, shared by the loader and the matchers.

They are frozen dataclasses so a loaded lexicon can be hashed, compared and shared
between threads without copying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ALIAS_KINDS = ("name", "adjective", "metonym", "institution", "person")


@dataclass(frozen=True)
class AliasSpec:
    """One way an article can name an actor; people carry the dates they held office."""

    text: str
    kind: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when the alias speaks for its actor on `day` (valid_to is exclusive)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


@dataclass(frozen=True)
class ActorSpec:
    id: str
    name: str
    kind: str
    iso3: str | None
    aliases: tuple[AliasSpec, ...]


@dataclass(frozen=True)
class TopicSpec:
    id: str
    title: str
    description: str
    direction: str


@dataclass(frozen=True)
class CueSpec:
    """One cue rule of topics.yaml; `id` is already qualified as "<topic>/<cue>"."""

    id: str
    topic_id: str
    polarity: int
    patterns: tuple[str, ...]
    negatable: bool = True
    strength: float = 1.0
    holders: tuple[str, ...] = ()
    not_holders: tuple[str, ...] = ()
    context: str | None = None

    def allows(self, actor_id: str) -> bool:
        """Whether this cue may become evidence for `actor_id`."""
        if self.holders and actor_id not in self.holders:
            return False
        return actor_id not in self.not_holders
