"""`demarche eval`: score the extractor against a labelled JSONL file, without a database.

Each line holds a real article and its (actor, topic, polarity) labels; the extractor's
evidence is reduced to document-level triples (document_stances) and compared exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from service.errors import ConfigError
from service.extraction import Lexicon, document_stances, extract, load_lexicon

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
Triple = tuple[str, str, int]


class EvalInputError(Exception):
    """The evaluation file cannot be read or a line is not a valid record."""


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    published_at: date
    labels: frozenset[Triple]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    micro: Tally = field(default_factory=Tally)
    per_topic: dict[str, Tally] = field(default_factory=dict)
    per_actor: dict[str, Tally] = field(default_factory=dict)
    details: list[dict[str, Any]] = field(default_factory=list)

    def count(self, triple: Triple, outcome: str) -> None:
        for tally in (
            self.micro,
            self.per_topic.setdefault(triple[1], Tally()),
            self.per_actor.setdefault(triple[0], Tally()),
        ):
            setattr(tally, outcome, getattr(tally, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.details),
            "micro": self.micro.scores(),
            "per_topic": {k: v.scores() for k, v in sorted(self.per_topic.items())},
            "per_actor": {k: v.scores() for k, v in sorted(self.per_actor.items())},
            "documents_detail": self.details,
        }


def _parse_record(line: str, number: int) -> Record:
    try:
        raw = json.loads(line)
        labels = frozenset(
            (str(lb["actor"]), str(lb["topic"]), int(lb["polarity"])) for lb in raw["labels"]
        )
        return Record(
            str(raw["id"]), str(raw["text"]), date.fromisoformat(raw["published_at"]), labels
        )
    except json.JSONDecodeError as exc:
        raise EvalInputError(f"line {number}: not valid JSON ({exc.msg})") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise EvalInputError(f"line {number}: not a valid record ({exc!s})") from exc


def read_records(path: Path) -> list[Record]:
    """Parse a JSONL evaluation file; blank lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalInputError(f"cannot read {path}: {exc}") from exc
    return [_parse_record(line, n) for n, line in enumerate(lines, 1) if line.strip()]


def predict(record: Record, lexicon: Lexicon) -> frozenset[Triple]:
    stances = document_stances(extract(record.text, record.published_at, lexicon))
    return frozenset((actor, topic, polarity) for (actor, topic), polarity in stances.items())


def evaluate(records: Iterable[Record], lexicon: Lexicon) -> Report:
    """Compare predicted and labelled triples; a triple counts only when all three match."""
    report = Report()
    for record in records:
        predicted = predict(record, lexicon)
        for triple in sorted(predicted & record.labels):
            report.count(triple, "tp")
        for triple in sorted(predicted - record.labels):
            report.count(triple, "fp")
        for triple in sorted(record.labels - predicted):
            report.count(triple, "fn")
        report.details.append(
            {
                "id": record.id,
                "missed": [list(t) for t in sorted(record.labels - predicted)],
                "spurious": [list(t) for t in sorted(predicted - record.labels)],
            }
        )
    return report


def _table(title: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    lines = [f"{title:<24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, s in rows.items():
        lines.append(
            f"{name:<24} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
            f"{s['tp']:>4} {s['fp']:>4} {s['fn']:>4}"
        )
    return lines


def format_text(result: dict[str, Any]) -> str:
    micro = result["micro"]
    lines = [
        f"documents: {result['documents']}",
        f"micro: P={micro['precision']:.3f} R={micro['recall']:.3f} F1={micro['f1']:.3f} "
        f"(tp={micro['tp']} fp={micro['fp']} fn={micro['fn']})",
        "",
        *_table("topic", result["per_topic"]),
        "",
        *_table("actor", result["per_actor"]),
        "",
    ]
    for doc in result["documents_detail"]:
        if doc["missed"] or doc["spurious"]:
            lines.append(doc["id"])
            lines.extend(f"  missed   {a} {t} {p:+d}" for a, t, p in doc["missed"])
            lines.extend(f"  spurious {a} {t} {p:+d}" for a, t, p in doc["spurious"])
    return "\n".join(lines)


@click.command("eval")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--fail-under", type=float, default=None, help="Exit 1 if micro-F1 is below this.")
@click.option(
    "--config-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_CONFIG_DIR,
    show_default=True,
    help="Folder holding actors.yaml and topics.yaml.",
)
def eval_command(file: Path, as_json: bool, fail_under: float | None, config_dir: Path) -> None:
    """Score extraction on a labelled JSONL FILE (the format of dev.jsonl)."""
    try:
        records = read_records(file)
        lexicon = load_lexicon(config_dir)
    except (EvalInputError, ConfigError) as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from None
    result = evaluate(records, lexicon).as_dict()
    click.echo(json.dumps(result, indent=2) if as_json else format_text(result))
    f1 = result["micro"]["f1"]
    if fail_under is not None and f1 < fail_under:
        click.echo(f"micro-F1 {f1:.4f} is below the floor {fail_under:.4f}", err=True)
        raise SystemExit(1)
