-- The stance formula of service/scoring/formula.py, as SQL functions that the
-- planner inlines, so re-scoring runs as set operations inside PostgreSQL.
-- Keep the two in step: tests/integration/test_rescore.py compares them.
-- Exponents are clamped: PostgreSQL raises on float underflow where Python gives 0.

CREATE FUNCTION stance_weight(raw double precision, published_at timestamptz,
                              as_of timestamptz, half_life_days double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN raw * power(2.0::double precision,
                   -least(1000, greatest(0, date_part('epoch', as_of - published_at) / 86400.0)
                                / half_life_days));

CREATE FUNCTION stance_label(n bigint, raw_total double precision, total double precision,
                             signed double precision, positive double precision,
                             absolute double precision, min_weight double precision,
                             threshold double precision, minority_share double precision)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN coalesce(n, 0) = 0 OR raw_total < min_weight OR total <= 0 THEN 'no-signal'
    WHEN absolute > 0
         AND least(coalesce(positive, 0), absolute - coalesce(positive, 0)) / absolute
             >= minority_share THEN 'mixed'
    WHEN signed / total >= threshold THEN 'supports'
    WHEN signed / total <= -threshold THEN 'opposes'
    ELSE 'mixed'
END;

CREATE FUNCTION stance_score(n bigint, raw_total double precision, total double precision,
                             signed double precision, min_weight double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN coalesce(n, 0) = 0 OR raw_total < min_weight OR total <= 0 THEN 0
    ELSE greatest(-1, least(1, signed / total))
END;

CREATE FUNCTION stance_confidence(n bigint, raw_total double precision,
                                  total double precision, signed double precision,
                                  absolute double precision, min_weight double precision,
                                  scale double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN coalesce(n, 0) = 0 OR raw_total < min_weight OR total <= 0 OR absolute <= 0 THEN 0
    ELSE greatest(0, least(1, (1 - exp(-least(raw_total / scale, 700))) * (abs(signed) / absolute)
                                * (0.5 + 0.5 * total / raw_total)))
END;
