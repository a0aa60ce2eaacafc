"""Load and validate the lexicon (config/actors.yaml, config/topics.yaml).

The lexicon is data, so analysts can extend it; its content hash is the lexicon version
stored with every evidence item, which tells the service which documents to re-extract.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from service.errors import ConfigError
from service.extraction.matchers import (
    AliasMatcher,
    CueIndex,
    compile_aliases,
    compile_cues,
)
from service.extraction.schema import ActorsFileSchema, TopicsFileSchema, validate_file
from service.extraction.specs import ActorSpec, AliasSpec, CueSpec, TopicSpec

_GROUP_KIND = {
    "names": "name",
    "adjectives": "adjective",
    "metonyms": "metonym",
    "institutions": "institution",
}


@dataclass(frozen=True)
class Lexicon:
    version: str
    actors: tuple[ActorSpec, ...]
    topics: tuple[TopicSpec, ...]
    cues: tuple[CueSpec, ...] = ()
    alias_matcher: AliasMatcher | None = field(default=None, compare=False, repr=False)
    cue_index: CueIndex | None = field(default=None, compare=False, repr=False)


def _read(path: Path) -> tuple[bytes, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read ({exc.strerror})", field=path.name) from exc
    try:
        return raw, yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path.name}: not valid YAML{where}", field=path.name) from exc


def _actor(data: dict[str, Any]) -> ActorSpec:
    aliases: list[AliasSpec] = []
    for group, kind in _GROUP_KIND.items():
        aliases.extend(AliasSpec(text, kind) for text in data["aliases"][group])
    for person in data["aliases"]["people"]:
        aliases.append(
            AliasSpec(person["text"], "person", person["valid_from"], person["valid_to"])
        )
    return ActorSpec(data["id"], data["name"], data["kind"], data["iso3"], tuple(aliases))


def _cue(topic_id: str, data: dict[str, Any]) -> CueSpec:
    return CueSpec(
        id=f"{topic_id}/{data['id']}",
        topic_id=topic_id,
        polarity=data["polarity"],
        patterns=tuple(data["patterns"]),
        negatable=data["negatable"],
        strength=data["strength"],
        holders=tuple(data["holders"]),
        not_holders=tuple(data["not_holders"]),
        context=data["context"],
    )


def _check_unique(items: list[str], filename: str, what: str) -> None:
    seen: set[str] = set()
    for position, item in enumerate(items):
        if item in seen:
            raise ConfigError(f"{filename}: {what}[{position}].id: duplicate id {item!r}")
        seen.add(item)


def load_lexicon(config_dir: Path) -> Lexicon:
    """Read, validate and compile the lexicon in `config_dir`; raise ConfigError on any fault."""
    actors_raw, actors_data = _read(config_dir / "actors.yaml")
    topics_raw, topics_data = _read(config_dir / "topics.yaml")
    actors_doc = validate_file(ActorsFileSchema(), actors_data, "actors.yaml")
    topics_doc = validate_file(TopicsFileSchema(), topics_data, "topics.yaml")
    actors = tuple(_actor(a) for a in actors_doc["actors"])
    _check_unique([a.id for a in actors], "actors.yaml", "actors")
    _check_unique([t["id"] for t in topics_doc["topics"]], "topics.yaml", "topics")
    topics = tuple(
        TopicSpec(t["id"], t["title"], t["description"], t["direction"])
        for t in topics_doc["topics"]
    )
    cues_by_topic = {t["id"]: [_cue(t["id"], c) for c in t["cues"]] for t in topics_doc["topics"]}
    for t_pos, t in enumerate(topics_doc["topics"]):
        _check_unique([c["id"] for c in t["cues"]], "topics.yaml", f"topics[{t_pos}].cues")
    digest = hashlib.sha256(actors_raw + b"\x00" + topics_raw).hexdigest()[:16]
    cues = tuple(c for topic_cues in cues_by_topic.values() for c in topic_cues)
    return Lexicon(
        version=digest,
        actors=actors,
        topics=topics,
        cues=cues,
        alias_matcher=compile_aliases(actors),
        cue_index=compile_cues(cues, actors),
    )
