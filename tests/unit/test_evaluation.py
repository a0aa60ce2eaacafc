"""`demarche eval`: scoring, output forms, the CI floor and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.evaluation import eval_command

RECORDS = [
    {
        "id": "doc-1",
        "published_at": "2023-04-06",
        "text": "Mr Xi said China supports peace talks. The Kremlin rejected any negotiations.",
        "labels": [
            {"actor": "china", "topic": "negotiated-settlement", "polarity": 1, "evidence": []},
            {"actor": "russia", "topic": "negotiated-settlement", "polarity": -1, "evidence": []},
        ],
    },
    {
        "id": "doc-2",
        "published_at": "2023-04-06",
        "text": "France condemned the invasion. Talks resumed in Geneva.",
        "labels": [
            {"actor": "france", "topic": "russia-accountability", "polarity": 1, "evidence": []},
            {"actor": "ukraine", "topic": "ukraine-sovereignty", "polarity": 1, "evidence": []},
        ],
    },
]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n\n", encoding="utf-8")
    return path


def test_json_output(dataset: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(dataset), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 2
    assert report["micro"] == {
        "precision": 1.0, "recall": 0.75, "f1": 0.8571, "tp": 3, "fp": 0, "fn": 1,
    }  # fmt: skip
    assert report["per_topic"]["ukraine-sovereignty"]["fn"] == 1
    assert report["per_actor"]["china"]["tp"] == 1
    assert report["documents_detail"][1] == {
        "id": "doc-2",
        "missed": [["ukraine", "ukraine-sovereignty", 1]],
        "spurious": [],
    }


def test_text_output_lists_tables_and_misses(dataset: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(dataset)])
    assert result.exit_code == 0
    assert "micro: P=1.000 R=0.750 F1=0.857" in result.output
    assert "negotiated-settlement" in result.output
    assert "missed   ukraine ukraine-sovereignty +1" in result.output


def test_fail_under(dataset: Path) -> None:
    assert CliRunner().invoke(eval_command, [str(dataset), "--fail-under", "0.8"]).exit_code == 0
    result = CliRunner().invoke(eval_command, [str(dataset), "--fail-under", "0.9"])
    assert result.exit_code == 1
    assert "micro-F1 0.8571 is below the floor 0.9000" in result.output


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot read")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: not valid JSON"),
        ('{"id": "x"}', "line 1: not a valid record"),
        ('{"id": "x", "text": "t", "published_at": "soon", "labels": []}', "not a valid record"),
    ],
)
def test_bad_lines_exit_2(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = CliRunner().invoke(eval_command, [str(path)])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_config_dir_exits_2(dataset: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(dataset), "--config-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "actors.yaml: cannot read" in result.output
