"""Synthetic ~4,000-character news articles for the load benchmarks.

Built from the sentences of the two seed articles (seeds/*.txt), recombined and
varied: speakers, places, weekdays and numbers are swapped per sentence and each
article gets its own dateline, so that no two articles are copies or near-copies
of one another (the near-duplicate detector would otherwise store them without
evidence). Seeded: the same arguments give the same articles."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TARGET_CHARS = 4000

# People in office over the whole date range used below (2022-06 .. 2023-12).
SPEAKERS = [
    "Emmanuel Macron",
    "Mr Macron",
    "Xi Jinping",
    "Mr Xi",
    "Vladimir Putin",
    "Volodymyr Zelensky",
    "Dmytro Kuleba",
    "Sergei Lavrov",
    "Wang Yi",
    "Catherine Colonna",
    "Dmitry Peskov",
    "Maria Zakharova",
]
PLACES = [
    "Beijing", "Paris", "Moscow", "Kyiv", "Bali", "Guangzhou", "Geneva", "Istanbul",
    "New York", "Brussels", "Warsaw", "Delhi", "Riyadh", "Ankara", "Vienna", "Oslo",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
REPORTERS = [
    "Anna Keller", "Jacques Serais", "Laura Laplaud", "Tom Hale", "Mei Lin", "Oleh Bondar",
    "Sofia Marin", "Paul Weber", "Irina Volk", "Chen Hao", "Lucas Petit", "Nadia Roy",
]  # fmt: skip
OUTLETS = ["Europe 1", "BBC News", "Wire desk", "Evening Post", "Daily Ledger", "Radio Nord"]
FILLER = [
    "{place} officials declined to comment on the {n} draft proposals circulated on {day}.",
    "Analysts in {place} said {n} delegations had asked for more time before {day}.",
    "The meeting in {place} lasted about {n} minutes, according to people briefed on it.",
    "Markets in {place} moved little on {day}, with trading volumes {n} per cent below average.",
    "A further round of consultations in {place} is expected within {n} days.",
]

_NAMED = re.compile(
    r"Emmanuel Macron|Mr Macron|Xi Jinping|Mr Xi|Vladimir Putin|Volodymyr Zelensky"
    r"|Dmitry Peskov|Joe Biden"
)
_PLACE = re.compile(r"\b(Beijing|Bali|Guangzhou|Moscow|Belarus|Paris)\b")
_DAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_NUMBER = re.compile(r"\b\d+\b")
_SPLIT = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")


def seed_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) < 40 or line.startswith(">>"):
                continue
            out.extend(s for s in _SPLIT.split(line) if len(s) >= 40)
    return out


def _vary(sentence: str, rng: random.Random) -> str:
    sentence = _NAMED.sub(lambda m: rng.choice(SPEAKERS), sentence)
    sentence = _PLACE.sub(lambda m: rng.choice(PLACES), sentence)
    sentence = _DAY.sub(lambda m: rng.choice(DAYS), sentence)
    return _NUMBER.sub(lambda m: str(rng.randint(2, 99)), sentence)


def _filler(rng: random.Random) -> str:
    return rng.choice(FILLER).format(
        place=rng.choice(PLACES), day=rng.choice(DAYS), n=rng.randint(2, 400)
    )


def article(rng: random.Random, pool: list[str], index: int) -> dict[str, Any]:
    """One article as the ingest schema takes it (title, text, published_at, url, ...)."""
    day = date(2022, 6, 1) + timedelta(days=rng.randrange(0, 570))
    place = rng.choice(PLACES)
    parts = [
        f"{rng.choice(REPORTERS)}, {place} {rng.randint(1, 12)}:{rng.randint(10, 59)} "
        f"{day:%B %d, %Y}"
    ]
    size = len(parts[0])
    while size < TARGET_CHARS:
        sentence = _filler(rng) if rng.random() < 0.2 else _vary(rng.choice(pool), rng)
        parts.append(sentence)
        size += len(sentence) + 1
    speaker = rng.choice(SPEAKERS)
    return {
        "title": f"{speaker} in {place}: talks on Ukraine, item {index}",
        "text": "\n".join(parts),
        "published_at": day.isoformat(),
        "url": f"https://news.example.org/{day:%Y/%m/%d}/bench-{index}",
        "source": rng.choice(OUTLETS),
        "language": "en",
    }


def articles(count: int, seed: int = 1, start: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    pool = seed_sentences()
    for i in range(start, start + count):
        yield article(rng, pool, i)


def write_jsonl(path: Path, count: int, seed: int = 1, start: int = 0) -> list[dict[str, Any]]:
    rows = list(articles(count, seed, start))
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows
