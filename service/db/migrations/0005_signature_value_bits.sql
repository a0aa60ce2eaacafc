-- A cheap, exact prefilter for the near-duplicate check (docs/ingestion.md).
-- value_bits holds 16 bits per signature value, exactly one of them set: bit
-- (v & 15) of each group, groups in signature order, most significant bit first
-- (service/ingestion/dedup.py:value_bits). Equal values have equal groups, so
-- cardinality - bit_count(a # b) / 2, the number of positions whose low four bits
-- agree, bounds the number of equal values from above: a candidate whose bound is
-- under the threshold cannot reach it, and is not compared value by value.
-- NULL (e.g. a row written by an older process): always compared in full.
ALTER TABLE document_signatures ADD COLUMN value_bits bit varying;

UPDATE document_signatures s
SET value_bits = (
    SELECT string_agg(lpad('1' || repeat('0', (t.v & 15)::int), 16, '0'), '' ORDER BY t.i)
    FROM unnest(s.signature) WITH ORDINALITY AS t (v, i)
)::bit varying;
