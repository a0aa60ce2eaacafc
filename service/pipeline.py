"""Use cases. Each opens exactly one transaction: it commits when the use case
succeeds and rolls back on any exception, so a failed ingest stores nothing.

The pipeline runs one way: Document -> Evidence -> Stance -> StanceVersion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from psycopg.errors import DeadlockDetected
from psycopg_pool import ConnectionPool

from service import metrics
from service.db import access, documents, evidence, near_duplicates, stances
from service.db.documents import Document, NewDocumentRow, StoredDocument
from service.db.evidence import EvidenceRow
from service.db.pool import Connection, transaction, translate_errors
from service.errors import DemarcheError, Unavailable
from service.extraction import EXTRACTOR_VERSION, Evidence, Lexicon, extract
from service.ingestion import dedup
from service.ingestion.normalize import canonical_url, content_hash, normalize_text
from service.ingestion.prepare import Extractor, Prepared, check_document, run_extractor
from service.ingestion.schema import NewDocument
from service.scoring import SCORER_VERSION, ScoringConfig
from service.settings import Settings

__all__ = ["Extractor", "IngestResult", "StoreResult", "ingest_document", "store_prepared"]
DEADLOCK_ATTEMPTS = 3  # per document of a group (store_prepared)


@dataclass(frozen=True)
class IngestResult:
    document: Document
    evidence: list[EvidenceRow]  # empty when the caller asked for no read-back
    created: bool
    evidence_count: int


def ingest_document(
    pool: ConnectionPool,
    lexicon: Lexicon,
    new: NewDocument,
    *,
    principal: str,
    max_text_chars: int,
    request_id: str | None = None,
    extractor: Extractor = extract,
    source_id: int | None = None,
    source_weight: float = 1.0,
    near_duplicate_threshold: float | None = None,
    read_back: bool = True,
) -> IngestResult:
    """Store a document and its evidence, or return the one already stored.

    One transaction: look the document up; if it is new, extract (a pure function,
    while nothing is locked yet), then write the document, its signature, its
    evidence, the pairs due for re-scoring and the audit row, pipelined, so the
    writes cost one round trip.

    With ``near_duplicate_threshold``, a document that repeats an earlier one (the
    same story run by another site, see ingestion/dedup.py) is stored with status
    'near-duplicate', linked to the first copy, and without evidence of its own:
    the first copy's evidence already counts, once. ``read_back=False`` skips
    reading the stored evidence back (batch ingest only counts it)."""
    text = normalize_text(new.text)
    check_document(new, text, max_text_chars)
    url = canonical_url(new.url)
    digest = content_hash(text)
    with transaction(pool) as conn:
        existing = documents.find_document_by_identity(conn, url=url, content_hash=digest)
        if existing is not None:
            metrics.INGESTED.labels("existing").inc()
            return _existing(conn, existing, read_back)
        found = run_extractor(extractor, text, new.published_at.date(), lexicon)
        sig = dedup.signature(text)
        if sig is not None and near_duplicate_threshold is not None:
            # two copies of one story stored at the same moment: one sees the other
            near_duplicates.lock_band_keys(conn, sig.band_keys)
        row = _row(new, text, url, digest, lexicon, source_id, source_weight)
        stored = _insert_checked(conn, row, sig, near_duplicate_threshold)
        if stored is None:  # another process stored the same article a moment ago
            existing = documents.find_document_by_identity(conn, url=url, content_hash=digest)
            assert existing is not None
            return _existing(conn, existing, read_back)
        if stored.status == "near-duplicate":
            found = []
        with conn.pipeline():
            _write_new_document(
                conn,
                stored.id,
                row,
                sig,
                found,
                lexicon=lexicon,
                source_weight=source_weight,
                principal=principal,
                request_id=request_id,
            )
        doc = documents.get_document(conn, stored.id)
        assert doc is not None
        items = evidence.list_document_evidence(conn, doc.id) if read_back else []
    metrics.INGESTED.labels("created").inc()
    metrics.EVIDENCE.inc(len(found))
    return IngestResult(doc, items, True, len(found))


@dataclass(frozen=True)
class StoreResult:
    """How one document of a group ended: stored (maybe as a near-duplicate), or
    already present (``created`` False)."""

    created: bool
    near_duplicate: bool
    evidence_count: int


def store_prepared(
    pool: ConnectionPool,
    lexicon: Lexicon,
    group: Sequence[Prepared],
    *,
    principal: str,
    source_id: int | None = None,
    source_weight: float = 1.0,
    near_duplicate_threshold: float | None = None,
) -> list[StoreResult | str]:
    """Store a group of prepared documents (batch ingest) in one transaction, each
    under its own savepoint: a document that fails leaves nothing of itself (its
    error message takes its place in the answer) and the others are kept.

    Per document, the same rows as ``ingest_document`` (document, signature,
    evidence, stance_queue, audit), the same outcome for a url or text already
    stored, and the same near-duplicate check, made in the insert itself; the
    group's band keys are locked first, all at once in key order, so a document
    also sees the earlier ones of its own group. Pipelined: two round trips a
    document, none read back. A database outage raises Unavailable (the group
    is rolled back whole)."""
    keys: list[int] = []
    if near_duplicate_threshold is not None:
        keys = sorted({k for p in group if p.signature for k in p.signature.band_keys})
    results: list[StoreResult | str] = []
    with transaction(pool) as conn, conn.pipeline() as pipe:
        if keys:
            near_duplicates.lock_band_keys(conn, keys)
            pipe.sync()  # held before any document, and its errors are the group's
        for prepared in group:
            for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
                try:
                    with translate_errors(), conn.transaction():
                        result = _store_one(
                            conn,
                            lexicon,
                            prepared,
                            principal=principal,
                            source_id=source_id,
                            source_weight=source_weight,
                            threshold=near_duplicate_threshold,
                        )
                        pipe.sync()  # this document's errors surface inside its savepoint
                except Unavailable as exc:
                    # Two batches holding documents with the same url or text in opposite
                    # orders wait for each other; PostgreSQL cancels one statement. Rolled
                    # back to its savepoint, the document waits for the other batch instead.
                    if isinstance(exc.__cause__, DeadlockDetected) and attempt < DEADLOCK_ATTEMPTS:
                        continue
                    raise
                except DemarcheError as exc:
                    results.append(exc.message)
                else:
                    results.append(result)
                break
    for r in results:
        if isinstance(r, StoreResult):
            metrics.INGESTED.labels("created" if r.created else "existing").inc()
            metrics.EVIDENCE.inc(r.evidence_count)
    return results


def _store_one(
    conn: Connection,
    lexicon: Lexicon,
    prepared: Prepared,
    *,
    principal: str,
    source_id: int | None,
    source_weight: float,
    threshold: float | None,
) -> StoreResult:
    sig = prepared.signature
    row = _row(
        prepared.new,
        prepared.text,
        prepared.url,
        prepared.digest,
        lexicon,
        source_id,
        source_weight,
    )
    doc = _insert_checked(conn, row, sig, threshold)
    if doc is None:
        return StoreResult(created=False, near_duplicate=False, evidence_count=0)
    near = doc.status == "near-duplicate"
    found = [] if near else prepared.evidence
    _write_new_document(
        conn,
        doc.id,
        row,
        sig,
        found,
        lexicon=lexicon,
        source_weight=source_weight,
        principal=principal,
        request_id=None,
    )
    return StoreResult(created=True, near_duplicate=near, evidence_count=len(found))


def _write_new_document(
    conn: Connection,
    document_id: int,
    row: NewDocumentRow,
    sig: dedup.Signature | None,
    found: list[Evidence],
    *,
    lexicon: Lexicon,
    source_weight: float,
    principal: str,
    request_id: str | None,
) -> None:
    """What a document inserted in this transaction brings with it: its signature, its
    evidence (with the pairs it counts for queued) and the audit row. Nothing is read
    back, so the statements can share a pipeline. No corrections to re-apply: they are
    keyed by document id, and this document is new."""
    if sig is not None:
        near_duplicates.insert_signature(
            conn,
            document_id=document_id,
            scheme=dedup.SCHEME,
            signature=sig.values,
            band_keys=sig.band_keys,
            value_bits=sig.value_bits,
        )
    evidence.insert_new_document_evidence(
        conn,
        document_id=document_id,
        published_at=row.published_at,
        items=found,
        extractor_version=EXTRACTOR_VERSION,
        lexicon_version=lexicon.version,
        source_weight=source_weight,
    )
    access.insert_audit(
        conn,
        principal=principal,
        action="document.create",
        target_type="document",
        target_id=str(document_id),
        after={"title": row.title, "url": row.url, "evidence": len(found)},
        request_id=request_id,
    )


def _row(
    new: NewDocument,
    text: str,
    url: str | None,
    digest: str,
    lexicon: Lexicon,
    source_id: int | None,
    source_weight: float,
) -> NewDocumentRow:
    return NewDocumentRow(
        url=url,
        content_hash=digest,
        title=new.title.strip(),
        source=new.source,
        language=new.language,
        published_at=new.published_at,
        text=text,
        raw_html=new.raw_html,
        lexicon_version=lexicon.version,
        extractor_version=EXTRACTOR_VERSION,
        source_id=source_id,
        source_weight=source_weight,
    )


def _existing(conn: Connection, doc: Document, read_back: bool) -> IngestResult:
    items = evidence.list_document_evidence(conn, doc.id) if read_back else []
    count = len(items) if read_back else evidence.count_document_evidence(conn, doc.id)
    return IngestResult(doc, items, False, count)


def _insert_checked(
    conn: Connection, row: NewDocumentRow, sig: dedup.Signature | None, threshold: float | None
) -> StoredDocument | None:
    """Insert a document, as a near-duplicate of an earlier one if its signature repeats
    it (with a threshold; the caller holds the band keys' locks); None when a document
    with the same url or content is already stored."""
    return documents.insert_document_checking_near_duplicates(
        conn,
        row,
        scheme=dedup.SCHEME,
        signature=sig.values if sig else None,
        band_keys=sig.band_keys if sig else None,
        value_bits=sig.value_bits if sig else None,
        threshold=threshold,
    )


def scoring_config(settings: Settings) -> ScoringConfig:
    return ScoringConfig(
        half_life_days=settings.half_life_days,
        label_threshold=settings.label_threshold,
        mixed_minority_share=settings.mixed_minority_share,
        min_weight=settings.min_weight,
        confidence_scale=settings.confidence_scale,
        top_evidence=settings.top_evidence,
    )


def rescore(pool: ConnectionPool, settings: Settings, *, full: bool = False) -> dict[str, int]:
    """Re-score the pairs that are due (or every pair), as of now, in one transaction.

    Incremental runs take only the queued pairs; a full run covers every pair
    and so applies the decay of time to all of them."""
    config = scoring_config(settings)
    with transaction(pool) as conn:
        stances.lock_rescore(conn)
        if full:
            fresh = stances.clear_queue(conn)
            pairs = stances.all_pairs(conn)
        else:
            pairs = fresh = stances.claim_due_pairs(conn)
        if not pairs:
            return {"pairs": 0, "versions": 0, "stances": 0}
        now = conn.execute("SELECT now() AS now").fetchone()["now"]  # type: ignore[index]
        scored = stances.score_pairs(conn, pairs, as_of=now, config=config)
        written = stances.write_scored(
            conn,
            scored,
            as_of=now,
            config=config,
            epsilon=settings.version_epsilon,
            reason="full re-score (decay)" if full else "new or corrected evidence",
            scorer_version=SCORER_VERSION,
            fresh=fresh,
        )
    return {"pairs": len(pairs), **written}


def reextract_outdated(
    pool: ConnectionPool,
    lexicon: Lexicon,
    *,
    batch_size: int = 200,
    extractor: Extractor = extract,
) -> dict[str, int]:
    """Re-run extraction on documents extracted with another lexicon or extractor
    version, one batch per transaction. Analysts' corrections are re-applied to
    the fresh evidence (they are keyed by document, span, topic and actor)."""
    done = 0
    while True:
        with transaction(pool) as conn:
            batch = documents.claim_outdated(
                conn, lexicon.version, EXTRACTOR_VERSION, limit=batch_size
            )
            for doc in batch:
                found = run_extractor(extractor, doc.text, doc.published_at.date(), lexicon)
                touched = evidence.delete_document_evidence(conn, doc.id)
                evidence.insert_evidence(
                    conn,
                    document_id=doc.id,
                    published_at=doc.published_at,
                    items=found,
                    extractor_version=EXTRACTOR_VERSION,
                    lexicon_version=lexicon.version,
                    source_weight=doc.source_weight,
                )
                documents.mark_extracted(conn, doc.id, lexicon.version, EXTRACTOR_VERSION)
                evidence.enqueue_pairs(conn, touched)
        done += len(batch)
        if len(batch) < batch_size:
            return {"documents": done}
