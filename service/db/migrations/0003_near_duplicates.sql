-- Once each: near-duplicate signatures of documents (MinHash/LSH, see
-- service/ingestion/dedup.py and docs/ingestion.md), and the feed entries each
-- source has already handled, so repeated polls fetch nothing twice.

-- A document's MinHash signature (128 values of 32 bits) and how it was made.
CREATE TABLE document_signatures (
    document_id  bigint PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    scheme       text NOT NULL,
    signature    bigint[] NOT NULL CHECK (cardinality(signature) > 0)
);

-- The LSH band keys of each signature: documents sharing a key are candidates.
CREATE TABLE document_bands (
    band_key     bigint NOT NULL,
    document_id  bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, document_id)
);
CREATE INDEX document_bands_document ON document_bands (document_id);

-- Feed entries already handled, per source (the key is the entry's canonical
-- link, or its id). Failed entries are retried until attempts reach the limit.
CREATE TABLE source_entries (
    source_id     bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    entry_key     text NOT NULL CHECK (entry_key <> ''),
    status        text NOT NULL
                  CHECK (status IN ('new', 'duplicate', 'near-duplicate', 'failed')),
    document_id   bigint REFERENCES documents (id) ON DELETE SET NULL,
    attempts      integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    last_error    text,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, entry_key)
);

-- Deleting a source sets documents.source_id to NULL; this keeps that cheap.
CREATE INDEX documents_source ON documents (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX documents_duplicate_of ON documents (duplicate_of) WHERE duplicate_of IS NOT NULL;
