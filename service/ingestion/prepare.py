"""The pure part of ingesting a document: check it, normalise its text, hash it,
extract its evidence and sign it for the near-duplicate check.

Nothing here touches the database, so `demarche ingest` runs it in worker
processes (both cores busy; the GIL no longer serialises extraction and the
database writes) while the main process writes. Workers get the lexicon once,
through ``init_worker``, and documents in chunks."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from service.errors import DemarcheError, ExtractionError, ValidationError
from service.extraction import Evidence, Lexicon, extract
from service.ingestion import dedup
from service.ingestion.normalize import canonical_url, content_hash, normalize_text
from service.ingestion.schema import NewDocument

Extractor = Callable[[str, date, Lexicon], list[Evidence]]
FUTURE_SKEW = timedelta(days=1)


@dataclass(frozen=True)
class Prepared:
    """A checked document ready to store: the text as stored, its identity, its
    evidence and its signature (None for texts too short to judge)."""

    new: NewDocument
    text: str
    url: str | None
    digest: str
    evidence: list[Evidence]
    signature: dedup.Signature | None


def check_document(new: NewDocument, text: str, max_text_chars: int) -> None:
    if not text:
        raise ValidationError("text is empty once whitespace is removed", field="text")
    if len(text) > max_text_chars:
        raise ValidationError(
            f"text is {len(text)} characters; the limit is {max_text_chars}", field="text"
        )
    if new.published_at > datetime.now(UTC) + FUTURE_SKEW:
        raise ValidationError("published_at is in the future", field="published_at")


def run_extractor(extractor: Extractor, text: str, day: date, lexicon: Lexicon) -> list[Evidence]:
    try:
        return extractor(text, day, lexicon)
    except DemarcheError:
        raise
    except Exception as exc:  # any bug in a rule must fail this ingest only, cleanly
        raise ExtractionError(f"extraction failed: {exc.__class__.__name__}: {exc}") from exc


def prepare(
    new: NewDocument, lexicon: Lexicon, max_text_chars: int, extractor: Extractor = extract
) -> Prepared:
    """Everything about a document that needs no database; raises DemarcheError
    (ValidationError, ExtractionError) for a document that cannot be stored."""
    text = normalize_text(new.text)
    check_document(new, text, max_text_chars)
    found = run_extractor(extractor, text, new.published_at.date(), lexicon)
    return Prepared(
        new=new,
        text=text,
        url=canonical_url(new.url),
        digest=content_hash(text),
        evidence=found,
        signature=dedup.signature(text),
    )


# --- worker processes -------------------------------------------------------------

_worker_lexicon: Lexicon | None = None
_worker_max_text_chars = 0


def init_worker(lexicon_path: str, max_text_chars: int) -> None:
    """ProcessPoolExecutor initializer: each worker reads the lexicon once, pickled
    by the main process into a private file (so its start-up data stays small: the
    main process would otherwise wait for each worker to read ~150 kB off a pipe)."""
    global _worker_lexicon, _worker_max_text_chars
    with open(lexicon_path, "rb") as fh:
        _worker_lexicon = pickle.load(fh)  # written by our own process, just now
    _worker_max_text_chars = max_text_chars


def prepare_chunk(documents: list[NewDocument]) -> list[Prepared | str]:
    """Prepare each document in a worker; a document that cannot be stored gives
    its error message instead (exceptions are answered as text, not pickled)."""
    assert _worker_lexicon is not None, "init_worker was not called"
    out: list[Prepared | str] = []
    for new in documents:
        try:
            out.append(prepare(new, _worker_lexicon, _worker_max_text_chars))
        except DemarcheError as exc:
            out.append(exc.message)
        except Exception as exc:  # e.g. a lone surrogate in the text: this document only
            out.append(f"cannot be prepared: {exc.__class__.__name__}: {exc}")
    return out
