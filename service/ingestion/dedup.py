"""Once each: near-duplicate signatures (MinHash over word 3-shingles, datasketch)
and the tally of what a poll stored.

Exact copies are caught by the content hash and URLs by their canonical form
(normalize.py); this module catches the same story run by several sites with a
few words changed. Each document gets a 128-value MinHash signature and 37 LSH
band keys (3 values each). PostgreSQL keeps both (0003_near_duplicates.sql): a
new document's candidates are the documents that share a band key, and a
candidate is a near-duplicate when the signatures agree on at least
``near_duplicate_threshold`` of their values (the estimated Jaccard similarity
of the two texts' shingle sets). See docs/ingestion.md for the numbers."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.pipeline import IngestResult

MAX_ERRORS = 100  # per job run; the rest are summed up in one line
NUM_PERM = 128
SHINGLE_WORDS = 3
# Shorter texts get no signature: two short statements can share most of their
# words and still say different things, and the content hash covers exact copies.
MIN_WORDS = 50
# The LSH bands are laid out (by datasketch's optimiser) for a similarity of 0.3,
# below any threshold allowed in the settings, so that a pair at the threshold
# becomes a candidate with near certainty (P = 0.99 at 0.5); the signatures then decide.
LSH_DESIGN_THRESHOLD = 0.3
SCHEME = f"minhash-affine32-{NUM_PERM}-w{SHINGLE_WORDS}"
_WORD = re.compile(r"\w+")
_SEED = 1


@dataclass(frozen=True)
class Signature:
    values: list[int]
    band_keys: list[int]


@cache
def lsh_layout() -> tuple[int, int]:
    """(bands, rows per band) for the design threshold: (37, 3) with 128 values."""
    from datasketch import MinHashLSH  # imported on first use: it brings in scipy (~1 s)

    lsh = MinHashLSH(threshold=LSH_DESIGN_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


def shingles(text: str) -> set[bytes]:
    """Overlapping runs of three words, case-folded; punctuation and layout do not count."""
    words = _WORD.findall(text.casefold())
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> Signature | None:
    """The text's MinHash signature and LSH band keys; None for texts too short to judge."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme="affine32")
    minhash.update_batch(sorted(shingles(text)))
    values = [int(v) for v in minhash.hashvalues]
    return Signature(values, band_keys(values))


def band_keys(values: list[int]) -> list[int]:
    """One signed 64-bit key per band: a hash of the band's number and its values."""
    bands, rows = lsh_layout()
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows]
        raw = band.to_bytes(2, "big") + b"".join(v.to_bytes(4, "big") for v in chunk)
        digest = hashlib.blake2b(raw, digest_size=8, person=b"demarche-lsh").digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def similarity(a: list[int], b: list[int]) -> float:
    """The estimated Jaccard similarity of two signatures (share of equal values)."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


@dataclass
class Tally:
    """What one poll did: items fetched, and how each ended (new, exact or near copy, failed)."""

    fetched: int = 0
    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, result: IngestResult) -> str:
        """Count one ingest; returns its outcome: new, duplicate or near-duplicate."""
        if not result.created:
            self.duplicate += 1
            return "duplicate"
        if result.document.status == "near-duplicate":
            self.near_duplicate += 1
            return "near-duplicate"
        self.new += 1
        return "new"

    def fail(self, where: str, message: str) -> None:
        self.failed += 1
        self.errors.append(f"{where}: {message}")

    def add(self, other: Tally) -> None:
        self.fetched += other.fetched
        self.new += other.new
        self.duplicate += other.duplicate
        self.near_duplicate += other.near_duplicate
        self.failed += other.failed
        self.errors.extend(other.errors)

    def as_counts(self) -> dict[str, int | list[str]]:
        return {
            "fetched": self.fetched,
            "new": self.new,
            "duplicate": self.duplicate,
            "near_duplicate": self.near_duplicate,
            "failed": self.failed,
            "errors": self.errors[:MAX_ERRORS]
            + (
                [f"... and {len(self.errors) - MAX_ERRORS} more"]
                if len(self.errors) > MAX_ERRORS
                else []
            ),
        }
