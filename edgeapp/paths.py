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


def resource(*parts: str) -> Path:
    """A file of the top-level `resources/` folder (the price table, prompts, the model catalog, the
    gatekeeper's place list, icons). The wheel and the packaged app carry that folder as the package
    `edgeapp.resources`, so it is found through importlib.resources the same way in a checkout, a
    wheel install and a frozen app."""
    from importlib.resources import files

    return Path(str(files("edgeapp.resources").joinpath(*parts)))


def source_checkout() -> Path | None:
    """The repository root when edgeapp runs from a source checkout (it holds pyproject.toml and the
    `models/` folder beside the package), else None (an installed wheel or a packaged app)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "models").is_dir() else None
