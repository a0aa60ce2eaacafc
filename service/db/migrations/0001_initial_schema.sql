-- The whole data model of DESIGN §3: reference data, documents and evidence,
-- analysts' corrections, stances and their append-only versions, audit,
-- sources and job runs, users and API tokens.

-- Reference data (synchronised from config/actors.yaml and config/topics.yaml).
CREATE TABLE actors (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text NOT NULL,
    kind        text NOT NULL DEFAULT 'state',
    iso3        text CHECK (iso3 ~ '^[A-Z]{3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A person may hold a role in several spells, so one alias may appear with
-- several date ranges.
CREATE TABLE actor_aliases (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id    text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    alias       text NOT NULL CHECK (alias <> ''),
    kind        text NOT NULL CHECK (kind IN ('name', 'adjective', 'metonym', 'institution', 'person')),
    valid_from  date,
    valid_to    date,
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to),
    UNIQUE NULLS NOT DISTINCT (actor_id, alias, kind, valid_from)
);

CREATE TABLE topics (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    title       text NOT NULL,
    description text NOT NULL DEFAULT '',
    direction   text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Where documents come from: feeds and inbox folders, polled by the scheduler.
CREATE TABLE sources (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                  text NOT NULL CHECK (kind IN ('feed', 'inbox')),
    url                   text,
    path                  text,
    name                  text NOT NULL DEFAULT '',
    enabled               boolean NOT NULL DEFAULT true,
    poll_interval_seconds integer NOT NULL DEFAULT 900 CHECK (poll_interval_seconds >= 10),
    source_weight         real NOT NULL DEFAULT 1 CHECK (source_weight >= 0 AND source_weight <= 10),
    etag                  text,
    last_modified         text,
    last_polled_at        timestamptz,
    last_success_at       timestamptz,
    last_error            text,
    consecutive_failures  integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    next_poll_at          timestamptz NOT NULL DEFAULT now(),
    created_at            timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'feed' AND url IS NOT NULL AND path IS NULL)
        OR (kind = 'inbox' AND path IS NOT NULL AND url IS NULL)),
    UNIQUE (url),
    UNIQUE (path)
);
CREATE INDEX sources_due ON sources (next_poll_at) WHERE enabled;

-- Articles. published_at is event time, ingested_at record time.
CREATE TABLE documents (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url               text UNIQUE,
    content_hash      text NOT NULL UNIQUE CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    title             text NOT NULL,
    source            text,
    source_id         bigint REFERENCES sources (id) ON DELETE SET NULL,
    source_weight     real NOT NULL DEFAULT 1 CHECK (source_weight >= 0 AND source_weight <= 10),
    language          text,
    published_at      timestamptz NOT NULL,
    ingested_at       timestamptz NOT NULL DEFAULT now(),
    text              text NOT NULL,
    raw_html          text,
    lexicon_version   text NOT NULL,
    extractor_version text NOT NULL,
    extracted_at      timestamptz NOT NULL DEFAULT now(),
    status            text NOT NULL DEFAULT 'extracted'
                      CHECK (status IN ('extracted', 'near-duplicate')),
    duplicate_of      bigint REFERENCES documents (id),
    CHECK ((status = 'near-duplicate') = (duplicate_of IS NOT NULL))
);
CREATE INDEX documents_published ON documents (published_at DESC, id DESC);
CREATE INDEX documents_lexicon ON documents (lexicon_version, extractor_version);

-- One item of evidence: who holds which position, where exactly in the text.
-- machine_* hold what the extractor found; actor_id, topic_id, polarity and
-- rejected hold what counts once analysts' corrections are applied (they are
-- re-applied whenever the document is re-extracted). published_at and
-- source_weight are copied from the document so scoring reads one table.
CREATE TABLE evidence (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id       bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    machine_actor_id  text NOT NULL REFERENCES actors (id),
    machine_topic_id  text NOT NULL REFERENCES topics (id),
    machine_polarity  real NOT NULL CHECK (machine_polarity BETWEEN -1 AND 1),
    actor_id          text NOT NULL REFERENCES actors (id),
    topic_id          text NOT NULL REFERENCES topics (id),
    polarity          real NOT NULL CHECK (polarity BETWEEN -1 AND 1),
    rejected          boolean NOT NULL DEFAULT false,
    correction_id     bigint,
    strength          real NOT NULL CHECK (strength > 0 AND strength <= 1),
    confidence        real NOT NULL CHECK (confidence > 0 AND confidence <= 1),
    source_weight     real NOT NULL DEFAULT 1 CHECK (source_weight >= 0 AND source_weight <= 10),
    sentence_index    integer NOT NULL CHECK (sentence_index >= 0),
    char_start        integer NOT NULL CHECK (char_start >= 0),
    char_end          integer NOT NULL,
    quote             text NOT NULL,
    speaker           text,
    cue_ids           text[] NOT NULL DEFAULT '{}',
    extractor_version text NOT NULL,
    lexicon_version   text NOT NULL,
    published_at      timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (char_end > char_start),
    UNIQUE (document_id, char_start, char_end, machine_topic_id, machine_actor_id)
);
CREATE INDEX evidence_document ON evidence (document_id);
CREATE INDEX evidence_pair_time ON evidence (actor_id, topic_id, published_at DESC)
    INCLUDE (polarity, strength, confidence, source_weight) WHERE NOT rejected;
CREATE INDEX evidence_time ON evidence (published_at DESC, id DESC);
CREATE INDEX evidence_low_confidence ON evidence (confidence) WHERE confidence < 0.5;

-- Analysts' overrides of one evidence item, keyed by what survives
-- re-extraction: the document, the span, and the machine's topic and actor
-- (evidence.machine_topic_id, evidence.machine_actor_id).
CREATE TABLE evidence_corrections (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id   bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    char_start    integer NOT NULL,
    char_end      integer NOT NULL,
    topic_id      text NOT NULL REFERENCES topics (id),
    actor_id      text NOT NULL REFERENCES actors (id),
    action        text NOT NULL CHECK (action IN ('reject', 'amend')),
    new_actor_id  text REFERENCES actors (id),
    new_topic_id  text REFERENCES topics (id),
    new_polarity  real CHECK (new_polarity BETWEEN -1 AND 1),
    reason        text NOT NULL CHECK (reason <> ''),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (action = 'reject'
        OR new_actor_id IS NOT NULL OR new_topic_id IS NOT NULL OR new_polarity IS NOT NULL),
    UNIQUE (document_id, char_start, char_end, topic_id, actor_id)
);
ALTER TABLE evidence ADD FOREIGN KEY (correction_id)
    REFERENCES evidence_corrections (id) ON DELETE SET NULL;

-- The current stance per (actor, topic). The auto_* columns always hold the
-- machine's own view, which differs from score/label while a pin holds.
CREATE TABLE stances (
    actor_id          text NOT NULL REFERENCES actors (id),
    topic_id          text NOT NULL REFERENCES topics (id),
    score             real NOT NULL CHECK (score BETWEEN -1 AND 1),
    label             text NOT NULL CHECK (label IN ('supports', 'opposes', 'mixed', 'no-signal')),
    confidence        real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    evidence_count    integer NOT NULL DEFAULT 0 CHECK (evidence_count >= 0),
    last_evidence_at  timestamptz,
    computed_at       timestamptz NOT NULL DEFAULT now(),
    method            text NOT NULL CHECK (method IN ('auto', 'manual')),
    pinned            boolean NOT NULL DEFAULT false,
    version           integer NOT NULL CHECK (version >= 1),
    auto_score        real NOT NULL CHECK (auto_score BETWEEN -1 AND 1),
    auto_label        text NOT NULL CHECK (auto_label IN ('supports', 'opposes', 'mixed', 'no-signal')),
    auto_confidence   real NOT NULL CHECK (auto_confidence BETWEEN 0 AND 1),
    PRIMARY KEY (actor_id, topic_id),
    CHECK (pinned = (method = 'manual'))
);

-- Append-only history of stances (record time = recorded_at, event time = as_of).
CREATE TABLE stance_versions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id          text NOT NULL REFERENCES actors (id),
    topic_id          text NOT NULL REFERENCES topics (id),
    version           integer NOT NULL CHECK (version >= 1),
    previous_version  integer,
    score             real NOT NULL CHECK (score BETWEEN -1 AND 1),
    label             text NOT NULL CHECK (label IN ('supports', 'opposes', 'mixed', 'no-signal')),
    confidence        real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    evidence_count    integer NOT NULL CHECK (evidence_count >= 0),
    last_evidence_at  timestamptz,
    method            text NOT NULL CHECK (method IN ('auto', 'manual')),
    pinned            boolean NOT NULL DEFAULT false,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    as_of             timestamptz,
    reason            text NOT NULL,
    scorer_version    text NOT NULL,
    top_evidence_ids  bigint[] NOT NULL DEFAULT '{}',
    CHECK ((version = 1 AND previous_version IS NULL) OR previous_version = version - 1),
    UNIQUE (actor_id, topic_id, version)
);
CREATE INDEX stance_versions_recorded ON stance_versions (recorded_at DESC);

-- Analysts' pins; at most one active (unreleased) pin per pair.
CREATE TABLE stance_corrections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id     text NOT NULL REFERENCES actors (id),
    topic_id     text NOT NULL REFERENCES topics (id),
    score        real NOT NULL CHECK (score BETWEEN -1 AND 1),
    label        text NOT NULL CHECK (label IN ('supports', 'opposes', 'mixed', 'no-signal')),
    note         text NOT NULL CHECK (note <> ''),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    released_by  text,
    released_at  timestamptz,
    CHECK ((released_at IS NULL) = (released_by IS NULL))
);
CREATE UNIQUE INDEX stance_corrections_active
    ON stance_corrections (actor_id, topic_id) WHERE released_at IS NULL;

-- Pairs whose stance must be recomputed: filled in the transaction that adds
-- or corrects evidence, drained by the re-score job (FOR UPDATE SKIP LOCKED).
CREATE TABLE stance_queue (
    actor_id     text NOT NULL REFERENCES actors (id),
    topic_id     text NOT NULL REFERENCES topics (id),
    enqueued_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, topic_id)
);

-- Every write by a person or a token.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    principal    text NOT NULL,
    action       text NOT NULL,
    target_type  text NOT NULL,
    target_id    text NOT NULL,
    before       jsonb,
    after        jsonb,
    reason       text,
    request_id   text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

-- What each scheduled (or requested) job run did.
CREATE TABLE job_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job          text NOT NULL,
    status       text NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'skipped')),
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    counts       jsonb NOT NULL DEFAULT '{}',
    error        text,
    host         text,
    pid          integer,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX job_runs_job_started ON job_runs (job, started_at DESC);
CREATE INDEX job_runs_started ON job_runs (started_at DESC);

-- People who use the admin page.
CREATE TABLE users (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username         text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.@-]{1,64}$'),
    password_hash    text NOT NULL,
    role             text NOT NULL CHECK (role IN ('admin', 'analyst')),
    disabled         boolean NOT NULL DEFAULT false,
    failed_logins    integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    last_login_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

-- API tokens; only a SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL CHECK (name <> ''),
    token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    prefix        text NOT NULL,
    role          text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz
);

-- Small per-installation values (e.g. the generated secret key in embedded mode).
CREATE TABLE app_state (
    key    text PRIMARY KEY,
    value  text NOT NULL
);
