"""Settings: defaults from config/settings.yaml, overridden by the environment.

Validated with marshmallow so that a bad value stops start-up with one line
naming the setting (e.g. ``DEMARCHE_PORT: Not a valid integer.``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, validate
from marshmallow import ValidationError as SchemaError
from marshmallow import fields as mf

from service.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "DEMARCHE_"


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    config_dir: Path
    data_dir: Path
    load_seeds: bool
    seeds_dir: Path
    host: str
    port: int
    workers: int
    pool_min_size: int
    pool_max_size: int
    pool_timeout_seconds: float
    max_body_bytes: int
    max_text_chars: int
    environment: str
    secret_key: str
    log_level: str
    log_format: str
    ingest_workers: int
    ingest_processes: int
    scheduler_enabled: bool
    half_life_days: float
    label_threshold: float
    mixed_minority_share: float
    min_weight: float
    confidence_scale: float
    version_epsilon: float
    top_evidence: int
    rescore_interval_seconds: int
    full_rescore_hour_utc: int
    reextract_interval_seconds: int
    source_poll_interval_seconds: int
    poll_sources_interval_seconds: int
    source_max_backoff_seconds: int
    fetch_timeout_seconds: float
    fetch_max_bytes: int
    fetch_max_redirects: int
    feed_max_entries: int
    feed_entry_max_attempts: int
    inbox_settle_seconds: float
    near_duplicate_threshold: float

    @property
    def embedded(self) -> bool:
        """True when no DATABASE_URL is given and the service runs its own PostgreSQL."""
        return not self.database_url

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


class _SettingsSchema(Schema):
    database_url = mf.String(load_default=None, allow_none=True)
    config_dir = mf.String(required=True)
    data_dir = mf.String(required=True)
    load_seeds = mf.Boolean(required=True)
    seeds_dir = mf.String(required=True)
    host = mf.String(required=True, validate=validate.Length(min=1))
    port = mf.Integer(required=True, validate=validate.Range(1, 65535))
    workers = mf.Integer(required=True, validate=validate.Range(1, 64))
    pool_min_size = mf.Integer(required=True, validate=validate.Range(0, 100))
    pool_max_size = mf.Integer(required=True, validate=validate.Range(1, 200))
    pool_timeout_seconds = mf.Float(required=True, validate=validate.Range(0.1, 300))
    max_body_bytes = mf.Integer(required=True, validate=validate.Range(1024, 1 << 30))
    max_text_chars = mf.Integer(required=True, validate=validate.Range(100, 10_000_000))
    environment = mf.String(
        required=True, validate=validate.OneOf(["development", "production", "test"])
    )
    secret_key = mf.String(required=True)
    log_level = mf.String(
        required=True, validate=validate.OneOf(["DEBUG", "INFO", "WARNING", "ERROR"])
    )
    scheduler_enabled = mf.Boolean(required=True)
    log_format = mf.String(required=True, validate=validate.OneOf(["json", "text"]))
    ingest_workers = mf.Integer(required=True, validate=validate.Range(1, 32))
    ingest_processes = mf.Integer(required=True, validate=validate.Range(0, 64))
    half_life_days = mf.Float(required=True, validate=validate.Range(1, 36500))
    label_threshold = mf.Float(required=True, validate=validate.Range(0.01, 1))
    mixed_minority_share = mf.Float(required=True, validate=validate.Range(0.01, 0.5))
    min_weight = mf.Float(required=True, validate=validate.Range(0, 100))
    confidence_scale = mf.Float(required=True, validate=validate.Range(0.01, 1000))
    version_epsilon = mf.Float(required=True, validate=validate.Range(0, 1))
    top_evidence = mf.Integer(required=True, validate=validate.Range(1, 100))
    rescore_interval_seconds = mf.Integer(required=True, validate=validate.Range(1, 86400))
    full_rescore_hour_utc = mf.Integer(required=True, validate=validate.Range(0, 23))
    reextract_interval_seconds = mf.Integer(required=True, validate=validate.Range(10, 86400))
    source_poll_interval_seconds = mf.Integer(required=True, validate=validate.Range(10, 604800))
    poll_sources_interval_seconds = mf.Integer(required=True, validate=validate.Range(1, 86400))
    source_max_backoff_seconds = mf.Integer(required=True, validate=validate.Range(10, 2592000))
    fetch_timeout_seconds = mf.Float(required=True, validate=validate.Range(0.05, 300))
    fetch_max_bytes = mf.Integer(required=True, validate=validate.Range(1024, 1 << 30))
    fetch_max_redirects = mf.Integer(required=True, validate=validate.Range(0, 20))
    feed_max_entries = mf.Integer(required=True, validate=validate.Range(1, 10000))
    feed_entry_max_attempts = mf.Integer(required=True, validate=validate.Range(1, 100))
    inbox_settle_seconds = mf.Float(required=True, validate=validate.Range(0, 3600))
    near_duplicate_threshold = mf.Float(required=True, validate=validate.Range(0.4, 1))


_NAMES = [f.name for f in fields(Settings)]


def _env_name(key: str) -> str:
    return "DATABASE_URL" if key == "database_url" else ENV_PREFIX + key.upper()


def load_settings(
    env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Build settings from config/settings.yaml, then the environment, then ``overrides``."""
    env = os.environ if env is None else env
    config_dir = Path(env.get(ENV_PREFIX + "CONFIG_DIR", PROJECT_ROOT / "config"))
    raw: dict[str, Any] = {"config_dir": str(config_dir)}
    raw.update(_read_defaults(config_dir / "settings.yaml"))
    for key in _NAMES:
        if _env_name(key) in env:
            raw[key] = env[_env_name(key)]
    raw.update(overrides or {})
    unknown = sorted(set(raw) - set(_NAMES))
    if unknown:
        raise ConfigError(f"settings.yaml: unknown setting {unknown[0]!r}", field=unknown[0])
    try:
        data = _SettingsSchema().load(raw)
    except SchemaError as exc:
        key, problems = next(iter(sorted(exc.messages_dict.items())))
        message = problems[0] if isinstance(problems, list) else str(problems)
        raise ConfigError(f"{_env_name(key)}: {message}", field=key) from None
    return _finish(data)


def _read_defaults(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: settings file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return loaded


def _finish(data: dict[str, Any]) -> Settings:
    for key in ("config_dir", "data_dir", "seeds_dir"):
        path = Path(data[key]).expanduser()
        data[key] = path if path.is_absolute() else PROJECT_ROOT / path
    data["database_url"] = data.get("database_url") or None
    if data["environment"] == "production" and len(data["secret_key"]) < 32:
        raise ConfigError(
            "DEMARCHE_SECRET_KEY: required in production (at least 32 characters)",
            field="secret_key",
        )
    if data["pool_min_size"] > data["pool_max_size"]:
        raise ConfigError(
            "DEMARCHE_POOL_MIN_SIZE: must not exceed DEMARCHE_POOL_MAX_SIZE",
            field="pool_min_size",
        )
    return Settings(**data)
