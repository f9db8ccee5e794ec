"""Where edgeapp keeps its files. EDGEAPP_HOME overrides everything (tests use it)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "edgeapp"


def _home() -> Path | None:
    value = os.environ.get("EDGEAPP_HOME")
    return Path(value).expanduser() if value else None


def _dir(sub: str, platform_dir) -> Path:
    home = _home()
    path = home / sub if home else Path(platform_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    return _dir("config", platformdirs.user_config_dir)


def data_dir() -> Path:
    return _dir("data", platformdirs.user_data_dir)


def cache_dir() -> Path:
    return _dir("cache", platformdirs.user_cache_dir)


def config_file() -> Path:
    return config_dir() / "config.toml"


def database_file() -> Path:
    return data_dir() / "edgeapp.db"


def bundled(*parts: str) -> Path:
    """A file that ships inside the package (`edgeapp/data/...`): the price table, prompts, the model
    catalog. Found through importlib.resources, so a wheel install and a frozen app find it too, not
    only the source tree."""
    from importlib.resources import files

    return Path(str(files("edgeapp").joinpath("data", *parts)))
