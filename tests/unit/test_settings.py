from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import ConfigError
from service.settings import PROJECT_ROOT, load_settings


def test_defaults_come_from_config_file() -> None:
    s = load_settings(env={})
    assert (s.host, s.port, s.embedded) == ("127.0.0.1", 8000, True)
    assert s.data_dir == PROJECT_ROOT / "var"
    assert s.pgdata == PROJECT_ROOT / "var" / "pgdata"
    assert (s.ingest_processes, s.ingest_workers) == (0, 4)  # 0: one worker process per core


def test_environment_overrides_and_database_url() -> None:
    s = load_settings(
        env={
            "DEMARCHE_PORT": "9001",
            "DATABASE_URL": "postgresql://x@h/db",
            "DEMARCHE_LOAD_SEEDS": "false",
            "DEMARCHE_DATA_DIR": "/srv/d",
        }
    )
    assert (s.port, s.load_seeds, s.embedded) == (9001, False, False)
    assert s.data_dir == Path("/srv/d")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEMARCHE_PORT": "eighty"}, "DEMARCHE_PORT: Not a valid integer."),
        ({"DEMARCHE_PORT": "70000"}, "DEMARCHE_PORT"),
        ({"DEMARCHE_ENVIRONMENT": "staging"}, "DEMARCHE_ENVIRONMENT"),
        ({"DEMARCHE_ENVIRONMENT": "production"}, "DEMARCHE_SECRET_KEY"),
        ({"DEMARCHE_POOL_MIN_SIZE": "20", "DEMARCHE_POOL_MAX_SIZE": "5"}, "DEMARCHE_POOL_MIN_SIZE"),
        ({"DEMARCHE_INGEST_PROCESSES": "-1"}, "DEMARCHE_INGEST_PROCESSES"),
        ({"DEMARCHE_INGEST_PROCESSES": "two"}, "DEMARCHE_INGEST_PROCESSES"),
    ],
)
def test_bad_setting_names_itself_in_one_line(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env)
    message = str(caught.value)
    assert named in message and "\n" not in message


def test_bad_config_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("port: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(env={"DEMARCHE_CONFIG_DIR": str(tmp_path)})
    (tmp_path / "settings.yaml").write_text("colour: blue\n")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings(env={"DEMARCHE_CONFIG_DIR": str(tmp_path)})
