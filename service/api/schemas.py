"""Response and query schemas of the REST API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from service.ingestion.schema import EventTime

MAX_LIMIT = 500


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class AliasOut(Schema):
    alias = fields.String()
    kind = fields.String()
    valid_from = fields.String(allow_none=True)
    valid_to = fields.String(allow_none=True)


class ActorOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    iso3 = fields.String(allow_none=True)
    aliases = fields.List(fields.Nested(AliasOut))


class ActorList(Schema):
    items = fields.List(fields.Nested(ActorOut))
    next_cursor = fields.String(allow_none=True)


class TopicOut(Schema):
    id = fields.String()
    title = fields.String()
    description = fields.String()
    direction = fields.String()


class TopicList(Schema):
    items = fields.List(fields.Nested(TopicOut))
    next_cursor = fields.String(allow_none=True)


class EvidenceOut(Schema):
    id = fields.Integer()
    document_id = fields.Integer()
    actor = fields.String(attribute="actor_id")
    topic = fields.String(attribute="topic_id")
    polarity = fields.Float()
    rejected = fields.Boolean()
    machine_actor = fields.String(attribute="machine_actor_id")
    machine_topic = fields.String(attribute="machine_topic_id")
    machine_polarity = fields.Float()
    correction_id = fields.Integer(allow_none=True)
    strength = fields.Float()
    confidence = fields.Float()
    sentence_index = fields.Integer()
    char_start = fields.Integer()
    char_end = fields.Integer()
    quote = fields.String()
    speaker = fields.String(allow_none=True)
    cue_ids = fields.List(fields.String())
    extractor_version = fields.String()
    lexicon_version = fields.String()
    published_at = fields.DateTime()


class EvidenceList(Schema):
    items = fields.List(fields.Nested(EvidenceOut))
    next_cursor = fields.String(allow_none=True)


class DocumentSummaryOut(Schema):
    id = fields.Integer()
    url = fields.String(allow_none=True)
    title = fields.String()
    source = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    published_at = fields.DateTime()
    ingested_at = fields.DateTime()
    status = fields.String()
    duplicate_of = fields.Integer(allow_none=True)
    evidence_count = fields.Integer()


class DocumentList(Schema):
    items = fields.List(fields.Nested(DocumentSummaryOut))
    next_cursor = fields.String(allow_none=True)


class DocumentOut(Schema):
    id = fields.Integer()
    url = fields.String(allow_none=True)
    content_hash = fields.String()
    title = fields.String()
    source = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    published_at = fields.DateTime()
    ingested_at = fields.DateTime()
    status = fields.String()
    duplicate_of = fields.Integer(allow_none=True)
    lexicon_version = fields.String()
    extractor_version = fields.String()
    text = fields.String()
    evidence = fields.List(fields.Nested(EvidenceOut))
    created = fields.Boolean()


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class FilterArgs(PageArgs):
    actor = fields.String(load_default=None, validate=validate.Length(max=64))
    topic = fields.String(load_default=None, validate=validate.Length(max=64))
    since = EventTime(load_default=None)
    until = EventTime(load_default=None)


class EvidenceQuery(FilterArgs):
    format = fields.String(load_default=None, validate=validate.OneOf(["json", "csv"]))


class DocumentQuery(FilterArgs):
    source = fields.String(load_default=None, validate=validate.Length(max=200))


class StanceOut(Schema):
    actor = fields.String(attribute="actor_id")
    topic = fields.String(attribute="topic_id")
    score = fields.Float()
    label = fields.String()
    confidence = fields.Float()
    evidence_count = fields.Integer()
    last_evidence_at = fields.DateTime(allow_none=True)
    computed_at = fields.DateTime(allow_none=True)
    version = fields.Integer(allow_none=True)
    method = fields.String()
    pinned = fields.Boolean()
    auto_score = fields.Float(allow_none=True, metadata={"description": "the machine's own score"})
    auto_label = fields.String(allow_none=True)
    auto_confidence = fields.Float(allow_none=True)


class StanceMatrix(Schema):
    as_of = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(StanceOut))
    next_cursor = fields.String(allow_none=True)


class WeighedEvidenceOut(Schema):
    id = fields.Integer()
    document_id = fields.Integer()
    document_title = fields.String()
    document_url = fields.String(allow_none=True)
    quote = fields.String()
    speaker = fields.String(allow_none=True)
    polarity = fields.Float()
    published_at = fields.DateTime()
    char_start = fields.Integer()
    char_end = fields.Integer()
    weight = fields.Float()


class StanceDetail(StanceOut):
    top_evidence = fields.List(fields.Nested(WeighedEvidenceOut))


class VersionOut(Schema):
    id = fields.Integer()
    actor = fields.String(attribute="actor_id")
    topic = fields.String(attribute="topic_id")
    version = fields.Integer()
    previous_version = fields.Integer(allow_none=True)
    score = fields.Float()
    label = fields.String()
    confidence = fields.Float()
    evidence_count = fields.Integer()
    last_evidence_at = fields.DateTime(allow_none=True)
    method = fields.String()
    pinned = fields.Boolean()
    recorded_at = fields.DateTime()
    as_of = fields.DateTime(allow_none=True)
    reason = fields.String()
    scorer_version = fields.String()
    top_evidence_ids = fields.List(fields.Integer())


class VersionList(Schema):
    items = fields.List(fields.Nested(VersionOut))
    next_cursor = fields.String(allow_none=True)


class TimelinePoint(Schema):
    bucket_start = fields.DateTime()
    bucket_end = fields.DateTime()
    score = fields.Float()
    label = fields.String()
    confidence = fields.Float()
    evidence_count = fields.Integer()


class Timeline(Schema):
    actor = fields.String()
    topic = fields.String()
    interval = fields.String()
    items = fields.List(fields.Nested(TimelinePoint))
    next_cursor = fields.String(allow_none=True)


class FormatArgs(StrictSchema):
    format = fields.String(load_default=None, validate=validate.OneOf(["json", "csv"]))


class MatrixQuery(FormatArgs):
    actor = fields.String(load_default=None, validate=validate.Length(max=64))
    topic = fields.String(load_default=None, validate=validate.Length(max=64))
    as_of = EventTime(load_default=None)


class TimelineQuery(FormatArgs):
    interval = fields.String(load_default="week", validate=validate.OneOf(["day", "week", "month"]))
    since = EventTime(load_default=None)
    until = EventTime(load_default=None)


class ChangesQuery(StrictSchema):
    since = EventTime(required=True)
    actor = fields.String(load_default=None, validate=validate.Length(max=64))
    topic = fields.String(load_default=None, validate=validate.Length(max=64))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class JobRunOut(Schema):
    id = fields.Integer()
    job = fields.String()
    status = fields.String()
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    counts = fields.Dict()
    error = fields.String(allow_none=True)
    host = fields.String(allow_none=True)
    pid = fields.Integer(allow_none=True)


class JobsOut(Schema):
    items = fields.List(fields.Nested(JobRunOut))
    next_run_times = fields.Dict(keys=fields.String(), values=fields.DateTime())
    next_cursor = fields.String(allow_none=True)


class RescoreArgs(StrictSchema):
    full = fields.Boolean(load_default=False)


class EvidenceCorrectionIn(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(["reject", "amend", "restore"]))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    actor = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    topic = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    polarity = fields.Float(load_default=None, validate=validate.Range(-1, 1))


class PinIn(StrictSchema):
    score = fields.Float(required=True, validate=validate.Range(-1, 1))
    label = fields.String(
        required=True, validate=validate.OneOf(["supports", "opposes", "mixed", "no-signal"])
    )
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ReleaseIn(StrictSchema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class PinOut(Schema):
    actor = fields.String(attribute="actor_id")
    topic = fields.String(attribute="topic_id")
    score = fields.Float()
    label = fields.String()
    note = fields.String()
    created_by = fields.String()
    created_at = fields.DateTime()
    version = fields.Integer()


class ReleaseOut(Schema):
    score = fields.Float()
    label = fields.String()
    version = fields.Integer()
    pinned = fields.Boolean()


class AuditOut(Schema):
    id = fields.Integer()
    principal = fields.String()
    action = fields.String()
    target_type = fields.String()
    target_id = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    reason = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    created_at = fields.DateTime()


class AuditList(Schema):
    items = fields.List(fields.Nested(AuditOut))
    next_cursor = fields.String(allow_none=True)


class AuditQuery(PageArgs):
    target_type = fields.String(load_default=None, validate=validate.Length(max=32))
