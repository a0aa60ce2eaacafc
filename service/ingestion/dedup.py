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

import numpy as np

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
# What datasketch's optimiser answers for that threshold and NUM_PERM (checked by
# tests/unit/test_dedup.py), written down so that no process imports datasketch
# (and scipy, ~1 s) to sign a text.
LSH_LAYOUT = (37, 3)
SCHEME = f"minhash-affine32-{NUM_PERM}-w{SHINGLE_WORDS}"
_WORD = re.compile(r"\w+")
_SEED = 1
_U32 = np.uint32


@dataclass(frozen=True)
class Signature:
    values: list[int]
    band_keys: list[int]
    value_bits: str  # the prefilter's bit string (value_bits below)


@cache
def lsh_layout() -> tuple[int, int]:
    """(bands, rows per band) for the design threshold: (37, 3) with 128 values."""
    return LSH_LAYOUT


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The 128 affine permutations (a, b) of datasketch's MinHash(num_perm=128, seed=1,
    scheme="affine32"): the same random draws, made once per process rather than for
    each text (datasketch's MinHash draws them in its constructor)."""
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=_U32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=_U32)
    return a.reshape(1, -1), b.reshape(1, -1)


def shingles(text: str) -> set[bytes]:
    """Overlapping runs of three words, case-folded; punctuation and layout do not count."""
    words = _WORD.findall(text.casefold())
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def minhash_values(items: set[bytes]) -> list[int]:
    """datasketch's affine32 MinHash of ``items``, value for value, vectorised: each
    item's SHA-1 (first 4 bytes, little-endian, as ``datasketch.hashfunc.sha1_hash32``),
    the MurmurHash3 finaliser, then ``a * h + b`` modulo 2^32 for every permutation and
    the minimum over the items. The values stay those of SCHEME, so signatures stored
    before this was written still compare with new ones."""
    if not items:
        return [int(np.iinfo(_U32).max)] * NUM_PERM
    sha1 = hashlib.sha1
    packed = b"".join([sha1(item).digest()[:4] for item in items])
    hv = np.frombuffer(packed, dtype="<u4").astype(_U32)
    hv = hv ^ (hv >> _U32(16))
    hv = hv * _U32(0x85EBCA6B)
    hv = hv ^ (hv >> _U32(13))
    hv = hv * _U32(0xC2B2AE35)
    hv = hv ^ (hv >> _U32(16))
    a, b = _permutations()
    values: list[int] = (hv.reshape(-1, 1) * a + b).min(axis=0).tolist()
    return values


def signature(text: str) -> Signature | None:
    """The text's MinHash signature and LSH band keys; None for texts too short to judge."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    values = minhash_values(shingles(text))
    return Signature(values, band_keys(values), value_bits(values))


def value_bits(values: list[int]) -> str:
    """16 bits per value with only bit ``v & 15`` set, as a '0'/'1' string: the
    database bounds the number of equal values of two signatures from above with
    one XOR and a bit count, and compares in full only the candidates whose bound
    reaches the threshold (0005_signature_value_bits.sql)."""
    return "".join([_NIBBLE_BITS[v & 15] for v in values])


_NIBBLE_BITS = [format(1 << n, "016b") for n in range(16)]


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
