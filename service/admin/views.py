"""The analyst's pages: the matrix, a stance, a document, the review queue."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from service import corrections
from service.admin.blueprint import bp
from service.admin.charts import cell_class, polyline
from service.admin.highlight import Span, segments
from service.api.context import runtime
from service.api.stances import end_of_day
from service.db import documents, evidence, lexicon, stances
from service.db.pool import Connection, connection
from service.errors import ValidationError
from service.ingestion.schema import EventTime
from service.pipeline import scoring_config


def _as_of() -> datetime | None:
    raw = request.args.get("as_of") or None
    if raw is None:
        return None
    try:
        return end_of_day(EventTime().deserialize(raw))
    except Exception:
        raise ValidationError("as_of must be a date (YYYY-MM-DD)", field="as_of") from None


def _sparkline(conn: Connection, pair: tuple[str, str], until: datetime) -> str:
    points = stances.timeline(
        conn,
        pair,
        unit="month",
        since=until - timedelta(days=3 * 365),
        until=until,
        config=scoring_config(runtime().settings),
    )
    return polyline([p["score"] if p["evidence_count"] else None for p in points], 80, 22)


@bp.get("/")
def matrix() -> ResponseReturnValue:
    as_of = _as_of()
    rt = runtime()
    with connection(rt.pool) as conn:
        if as_of is None:
            cells = stances.list_stances(conn)
        else:
            cells = [
                asdict(s) | {"method": "auto", "pinned": False}
                for s in stances.score_pairs(
                    conn, stances.all_pairs(conn), as_of=as_of, config=scoring_config(rt.settings)
                )
            ]
        until = as_of or datetime.now(UTC)
        for cell in cells:
            cell["heat"] = cell_class(cell["score"], cell["confidence"], cell["label"])
            cell["spark"] = _sparkline(conn, (cell["actor_id"], cell["topic_id"]), until)
        actors, topics = lexicon.list_actors(conn), lexicon.list_topics(conn)
    grid = {(c["actor_id"], c["topic_id"]): c for c in cells}
    return render_template(
        "admin/matrix.html", actors=actors, topics=topics, grid=grid, as_of=as_of
    )


@bp.get("/stances/<actor>/<topic>")
def stance(actor: str, topic: str) -> ResponseReturnValue:
    rt = runtime()
    with connection(rt.pool) as conn:
        found = stances.list_stances(conn, actor=actor, topic=topic)
        if not found:
            abort(404, f"unknown actor {actor!r} or topic {topic!r}")
        now = datetime.now(UTC)
        points = stances.timeline(
            conn,
            (actor, topic),
            unit="week",
            since=now - timedelta(days=730),
            until=now,
            config=scoring_config(rt.settings),
        )
        context = {
            "stance": found[0],
            "versions": stances.list_versions(conn, (actor, topic)),
            "items": evidence.list_pair_evidence(conn, actor, topic),
            "chart": polyline(
                [p["score"] if p["evidence_count"] else None for p in points], 640, 120, pad=6
            ),
            "chart_from": points[0]["bucket_start"] if points else None,
            "actors": lexicon.list_actors(conn),
            "topics": lexicon.list_topics(conn),
        }
    return render_template("admin/stance.html", actor=actor, topic=topic, **context)


@bp.get("/documents/<int:document_id>")
def document(document_id: int) -> ResponseReturnValue:
    with connection(runtime().pool) as conn:
        doc = documents.get_document(conn, document_id)
        if doc is None:
            abort(404, f"document {document_id} does not exist")
        items = evidence.list_document_evidence(conn, document_id)
    spans = [
        Span(
            e.id,
            e.char_start,
            e.char_end,
            f"{e.actor_id} · {e.topic_id} · {e.polarity:+.0f}"
            + (" · rejected" if e.rejected else ""),
        )
        for e in items
    ]
    return render_template(
        "admin/document.html", doc=doc, items=items, pieces=segments(doc.text, spans)
    )


@bp.get("/review")
def review() -> ResponseReturnValue:
    with connection(runtime().pool) as conn:
        low = evidence.review_evidence(conn)
        pins = stances.pins_in_disagreement(conn)
    return render_template("admin/review.html", low=low, pins=pins)


def _back() -> ResponseReturnValue:
    target = request.form.get("back", "")
    return redirect(target if target.startswith("/admin") else url_for("admin.matrix"))


def _polarity(raw: str | None) -> float | None:
    if raw in (None, ""):
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValidationError("polarity must be a number", field="polarity") from None


@bp.post("/evidence/<int:evidence_id>/correct")
def correct_evidence(evidence_id: int) -> ResponseReturnValue:
    form = request.form
    corrections.correct_evidence(
        runtime().pool,
        evidence_id,
        action=form.get("action", ""),
        reason=form.get("reason", ""),
        principal=g.principal,
        actor=form.get("actor") or None,
        topic=form.get("topic") or None,
        polarity=_polarity(form.get("polarity")),
    )
    return _back()


@bp.post("/stances/<actor>/<topic>/pin")
def pin(actor: str, topic: str) -> ResponseReturnValue:
    form = request.form
    try:
        score = float(form.get("score", ""))
    except ValueError:
        raise ValidationError("score must be a number between -1 and 1", field="score") from None
    corrections.pin_stance(
        runtime().pool,
        actor,
        topic,
        score=score,
        label=form.get("label", ""),
        note=form.get("note", ""),
        principal=g.principal,
    )
    return redirect(url_for("admin.stance", actor=actor, topic=topic))


@bp.post("/stances/<actor>/<topic>/release")
def release(actor: str, topic: str) -> ResponseReturnValue:
    corrections.release_stance(
        runtime().pool, actor, topic, note=request.form.get("note", ""), principal=g.principal
    )
    return redirect(url_for("admin.stance", actor=actor, topic=topic))
