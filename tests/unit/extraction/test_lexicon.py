"""load_lexicon: validation with one clear line per fault, and a version that tracks the files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from service.errors import ConfigError
from service.extraction import Lexicon, extract, load_lexicon

CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    for name in ("actors.yaml", "topics.yaml"):
        shutil.copy(CONFIG_DIR / name, tmp_path / name)
    return tmp_path


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_lexicon_has_four_actors_and_six_topics(lexicon: Lexicon) -> None:
    assert [a.id for a in lexicon.actors] == ["france", "china", "russia", "ukraine"]
    assert {t.id for t in lexicon.topics} == {
        "negotiated-settlement", "russia-accountability", "ukraine-sovereignty",
        "military-aid-ukraine", "nuclear-restraint", "china-mediation",
    }  # fmt: skip
    assert len(lexicon.version) == 16
    kuleba = [a for a in lexicon.actors[3].aliases if a.text == "Kuleba"]
    assert kuleba[0].kind == "person" and kuleba[0].valid_to is not None


def test_lexicon_is_hashable_and_equal_across_loads(config: Path) -> None:
    first, second = load_lexicon(config), load_lexicon(config)
    assert first == second and hash(first) == hash(second)


def test_version_changes_when_a_file_changes(config: Path) -> None:
    before = load_lexicon(config).version
    replace(config / "topics.yaml", '"negotiating table"', '"negotiating tables?"')
    after = load_lexicon(config).version
    assert before != after
    replace(config / "actors.yaml", "Matignon", "Hôtel Matignon")
    assert load_lexicon(config).version not in (before, after)


def test_bad_date_names_file_and_field(config: Path) -> None:
    replace(config / "actors.yaml", "valid_from: 2017-05-14}", "valid_from: someday}")
    with pytest.raises(ConfigError) as raised:
        load_lexicon(config)
    message = str(raised.value)
    assert message == "actors.yaml: actors[0].aliases.people[0].valid_from: not a date"
    assert "\n" not in message


def test_unknown_key_is_rejected(config: Path) -> None:
    replace(config / "topics.yaml", "    polarity: 1\n", "    polarity: 1\n        colour: red\n")
    with pytest.raises(ConfigError, match=r"^topics\.yaml: topics\[0\]\.cues\[0\]\.colour: "):
        load_lexicon(config)


def test_bad_polarity_and_bad_pattern(config: Path) -> None:
    replace(config / "topics.yaml", "polarity: -1", "polarity: 2")
    with pytest.raises(ConfigError, match=r"topics\.yaml: topics\[0\]\.cues\[\d+\]\.polarity"):
        load_lexicon(config)
    shutil.copy(CONFIG_DIR / "topics.yaml", config / "topics.yaml")
    replace(config / "topics.yaml", '"negotiating table"', '"negotiating (table"')
    with pytest.raises(ConfigError, match=r"patterns\[1\]: not a valid pattern"):
        load_lexicon(config)


def test_invalid_yaml_and_missing_file(config: Path) -> None:
    (config / "actors.yaml").write_text("actors: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^actors\.yaml: not valid YAML at line \d+$"):
        load_lexicon(config)
    (config / "topics.yaml").unlink()
    with pytest.raises(ConfigError, match=r"^actors\.yaml"):
        load_lexicon(config)
    shutil.copy(CONFIG_DIR / "actors.yaml", config / "actors.yaml")
    with pytest.raises(ConfigError, match=r"^topics\.yaml: cannot read"):
        load_lexicon(config)


def test_duplicate_actor_id(config: Path) -> None:
    replace(config / "actors.yaml", "id: china", "id: france")
    with pytest.raises(ConfigError, match=r"actors\.yaml: actors\[1\]\.id: duplicate id 'france'"):
        load_lexicon(config)


def test_valid_to_must_follow_valid_from(config: Path) -> None:
    replace(config / "actors.yaml", "valid_to: 2022-05-20}", "valid_to: 2010-01-01}")
    with pytest.raises(ConfigError, match=r"people\[\d+\]\.valid_to: must be after valid_from"):
        load_lexicon(config)


def test_a_person_may_hold_office_in_several_ranges(config: Path) -> None:
    replace(
        config / "actors.yaml",
        "        - {text: Qin Gang, valid_from: 2022-12-30, valid_to: 2023-07-25}\n",
        "        - {text: Qin Gang, valid_from: 2022-12-30, valid_to: 2023-07-25}\n"
        "        - {text: Qin Gang, valid_from: 2025-01-01}\n",
    )
    lexicon = load_lexicon(config)
    text = "Qin Gang called for peace talks."
    found = {
        day: bool(extract(text, day, lexicon))
        for day in (date(2023, 3, 1), date(2024, 3, 1), date(2025, 3, 1))
    }
    assert found == {date(2023, 3, 1): True, date(2024, 3, 1): False, date(2025, 3, 1): True}
