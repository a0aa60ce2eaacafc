"""Documents from files: .txt/.md with a metadata header or sidecar, .json, .jsonl.

A .txt or .md file gives its metadata either in a header between two ``---``
lines at the top (YAML) or in a sidecar ``<name>.meta.yaml`` beside it; the
text itself is left exactly as written. Every record is validated by the same
schema the REST API uses."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml
from marshmallow import ValidationError as SchemaError

from service.ingestion.schema import NewDocument, parse_document

TEXT_SUFFIXES = {".txt", ".md"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".json", ".jsonl"}
SIDECAR_SUFFIX = ".meta.yaml"


@dataclass(frozen=True)
class Record:
    """One document read from a file, or the reason it could not be read."""

    location: str
    document: NewDocument | None = None
    error: str | None = None


def expand_paths(paths: Iterable[str]) -> list[Path | str]:
    """Files to read, in a stable order; ``-`` means stdin.

    Folders are walked; sidecars and README files in them are not documents."""
    out: list[Path | str] = []
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in DOCUMENT_SUFFIXES
                and not p.name.endswith(SIDECAR_SUFFIX)
                and p.stem.upper() != "README"
            )
        else:
            out.append(path)
    return out


def count_records(files: Iterable[Path | str]) -> int | None:
    """How many records the files hold (None when reading stdin)."""
    total = 0
    for f in files:
        if f == "-":
            return None
        path = Path(f)
        if path.suffix == ".jsonl" and path.is_file():
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        else:
            total += 1
    return total


def read_records(files: Iterable[Path | str], stdin: TextIO) -> Iterator[Record]:
    for f in files:
        if f == "-":
            yield from _read_jsonl(stdin, "<stdin>")
            continue
        path = Path(f)
        if not path.is_file():
            yield Record(str(path), error="no such file")
        elif path.suffix == ".jsonl":
            with path.open(encoding="utf-8", errors="strict") as fh:
                yield from _read_jsonl(fh, str(path))
        elif path.suffix == ".json":
            yield from _read_json(path)
        elif path.suffix in TEXT_SUFFIXES:
            yield _read_text(path)
        else:
            yield Record(str(path), error=f"unsupported file type {path.suffix!r}")


def _validated(location: str, data: Any) -> Record:
    try:
        return Record(location, document=parse_document(data))
    except SchemaError as exc:
        return Record(location, error=_describe(exc))


def _describe(exc: SchemaError) -> str:
    messages = exc.messages
    if isinstance(messages, dict):
        return "; ".join(
            f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in sorted(messages.items())
        )
    return str(messages)


def _read_jsonl(fh: TextIO, name: str) -> Iterator[Record]:
    try:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            location = f"{name}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Record(location, error=f"not valid JSON ({exc.msg})")
                continue
            yield _validated(location, data)
    except UnicodeDecodeError:
        yield Record(name, error="not valid UTF-8")


def _read_json(path: Path) -> Iterator[Record]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield Record(str(path), error=f"not valid JSON ({exc.__class__.__name__})")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        yield _validated(f"{path}[{index}]" if isinstance(data, list) else str(path), item)


def _read_text(path: Path) -> Record:
    try:
        body = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Record(str(path), error="not valid UTF-8")
    meta: Any = {}
    if body.startswith("---\n"):
        header, sep, rest = body[4:].partition("\n---\n")
        if not sep:
            return Record(str(path), error="metadata header opened with --- is never closed")
        meta, body = _yaml(header), rest
    sidecar = path.with_name(path.name.removesuffix(path.suffix) + SIDECAR_SUFFIX)
    if sidecar.is_file():
        meta = _yaml(sidecar.read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        return Record(str(path), error="metadata must be a mapping (title, published_at, ...)")
    data = {str(k): _plain(v) for k, v in meta.items()}
    data["text"] = body
    if "title" not in data:
        data["title"] = next((ln.strip() for ln in body.splitlines() if ln.strip()), path.stem)
    return _validated(str(path), data)


def _yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return None


def _plain(value: Any) -> Any:
    """YAML turns 2023-04-06 into a date; the schema wants the ISO string."""
    return value.isoformat() if hasattr(value, "isoformat") else value
