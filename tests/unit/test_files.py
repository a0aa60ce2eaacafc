from __future__ import annotations

import io
from pathlib import Path

from service.ingestion.files import expand_paths, read_records
from service.settings import PROJECT_ROOT


def records(paths: list[str], stdin: str = "") -> list:  # type: ignore[type-arg]
    return list(read_records(expand_paths(paths), io.StringIO(stdin)))


def test_seed_folder_reads_two_documents_with_sidecar_metadata() -> None:
    found = records([str(PROJECT_ROOT / "seeds")])
    assert [r.error for r in found] == [None, None]
    first = found[0].document
    assert first.published_at.date().isoformat() == "2022-11-15"
    assert first.source == "Europe 1 (English translation)"
    original = (PROJECT_ROOT / "seeds" / "000_ca227d55daab0685.txt").read_text()
    assert first.text == original


def test_front_matter_jsonl_and_errors(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\npublished_at: 2023-01-02\n---\nBody text.\n")
    (tmp_path / "b.txt").write_text("No metadata at all.\n")
    (tmp_path / "c.jsonl").write_text(
        '{"title": "C", "text": "c", "published_at": "2023-01-03"}\n'
        "not json\n\n"
        '{"title": "D", "text": "d", "published_at": "2023-13-01"}\n'
    )
    (tmp_path / "d.txt").write_bytes(b"\xff\xfe broken")
    found = {r.location.replace(str(tmp_path) + "/", ""): r for r in records([str(tmp_path)])}
    assert found["a.md"].document.text == "Body text.\n"
    assert "published_at" in found["b.txt"].error
    assert found["c.jsonl:1"].document.title == "C"
    assert "not valid JSON" in found["c.jsonl:2"].error
    assert "published_at" in found["c.jsonl:4"].error
    assert found["d.txt"].error == "not valid UTF-8"


def test_stdin_is_jsonl() -> None:
    found = records(["-"], '{"title": "S", "text": "s", "published_at": "2024-02-02T10:00:00Z"}\n')
    assert found[0].document.published_at.hour == 10
