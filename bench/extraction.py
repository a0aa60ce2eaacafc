"""Extraction throughput: articles/s on one core, beside a baseline run in the same process.

The corpus is generated here (seeded, so every run sees the same text): ~4,000-character
news-like articles assembled from sentence templates about the four governments, with
quotes, titles, abbreviations and page furniture, plus the two seed articles padded to length.
The baseline is the naive rule extractor: a regex sentence split plus one scan of a single
compiled alternation of every cue pattern in config/topics.yaml.

    .venv/bin/python bench/extraction.py [--articles 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from service.extraction import Lexicon, extract, load_lexicon
from service.extraction.matchers import actor_macros, translate
from service.extraction.text import split_sentences, working_copy

ROOT = Path(__file__).resolve().parent.parent
SPEAKERS = [
    "French President Emmanuel Macron", "Mr Macron", "the Elysee", "France's foreign ministry",
    "Chinese President Xi Jinping", "Mr Xi", "Beijing", "Chinese Foreign Minister Wang Yi",
    "Kremlin spokesman Dmitry Peskov", "the Kremlin", "Moscow", "Sergei Lavrov",
    "Ukrainian President Volodymyr Zelensky", "Kyiv", "Foreign Minister Dmytro Kuleba",
    "U.S. Secretary of State Antony Blinken", "NATO's secretary general", "Dr. Anna Weiss",
]  # fmt: skip
VERBS = ["said", "told reporters", "stressed", "warned", "added", "insisted", "reiterated"]
CLAIMS = [
    "peace talks should resume as soon as possible",
    "there can be no ceasefire while troops remain on Ukrainian soil",
    "the invasion was a flagrant violation of the UN Charter",
    "new sanctions against Russia were being prepared",
    "nuclear weapons must never be used",
    "more air defence systems would be delivered to Ukraine within weeks",
    "China could play a constructive role in ending the war",
    "the annexation of the four regions would never be recognised",
    "the West was adding fuel to the fire by supplying weapons",
    "a political settlement was the only way out of the crisis",
    "the trade delegation would visit Shanghai in the spring",
    "the talks on grain exports had made little progress",
]
FILLER = [
    "The meeting took place at 9 a.m. local time in a hall near the U.N. headquarters.",
    "Markets were calm on Tuesday, and the euro rose 0.3% against the dollar.",
    "The summit, first held in 1999, brings together leaders of the world's largest economies.",
    "Analysts said the visit was closely watched in Washington and Brussels.",
    "(Reporting by Jane Doe; Editing by John Smith)",
    "Read more: What is the G20 and why does it matter?",
    "Officials in Beijing and Paris declined to give details of the schedule.",
]


def make_article(rng: random.Random, target: int = 4000) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < target:
        roll = rng.random()
        speaker, verb, claim = rng.choice(SPEAKERS), rng.choice(VERBS), rng.choice(CLAIMS)
        if roll < 0.3:
            parts.append(f"{speaker} {verb} that {claim}.")
        elif roll < 0.55:
            parts.append(f"\u201c{claim.capitalize()},\u201d {verb.split()[0]} {speaker}.")
        elif roll < 0.7:
            parts.append(f"{speaker} {verb}, \u201c{claim.capitalize()}.\u201d")
        else:
            parts.append(rng.choice(FILLER))
    return "\n".join(parts)[:target]


def make_corpus(count: int) -> list[str]:
    rng = random.Random(20261123)
    corpus = [make_article(rng) for _ in range(count - 2)]
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        corpus.append((text + "\n") * (4000 // len(text) + 1))
    return [text[:4000] for text in corpus]


def baseline_scanner(lexicon: Lexicon) -> Callable[[str], int]:
    macros = actor_macros(lexicon.actors)
    body = "|".join(translate(p, macros) for cue in lexicon.cues for p in cue.patterns)
    cues = re.compile(body, re.IGNORECASE)
    splitter = re.compile(r"(?<=[.!?])\s+")

    def scan(text: str) -> int:
        return len(splitter.split(text)) + sum(1 for _ in cues.finditer(text))

    return scan


def best_rate(work: Callable[[str], object], corpus: list[str], repeat: int) -> float:
    """Articles per second, best of `repeat` passes (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in corpus:
            work(text)
        best = min(best, time.perf_counter() - started)
    return len(corpus) / best


def pysbd_rate(corpus: list[str]) -> float | None:
    try:
        import pysbd
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return best_rate(segmenter.segment, corpus[:40], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    lexicon = load_lexicon(ROOT / "config")
    corpus = make_corpus(args.articles)
    day = date(2023, 4, 6)
    ours = best_rate(lambda text: extract(text, day, lexicon), corpus, args.repeat)
    base = best_rate(baseline_scanner(lexicon), corpus, args.repeat)
    split = best_rate(lambda text: split_sentences(working_copy(text)), corpus, args.repeat)
    mean_chars = sum(map(len, corpus)) / len(corpus)
    print(f"corpus: {len(corpus)} articles, {mean_chars:.0f} chars on average, one core")
    print(f"extract():             {ours:8.1f} articles/s")
    print(f"baseline (regex+alt):  {base:8.1f} articles/s")
    print(f"time ratio extract/baseline: {base / ours:.2f}x  (target <= 5x; >= 300 articles/s)")
    print(f"sentence splitter (ours):    {split:8.1f} articles/s")
    sbd = pysbd_rate(corpus)
    if sbd is not None:
        print(f"sentence splitter (pysbd):   {sbd:8.1f} articles/s (40 articles, one pass)")


if __name__ == "__main__":
    main()
