"""Settings: every key declared once in `schema`, stored as TOML by `store`.

`config.load()` reads the user's settings file; `settings["router.threshold"]` is typed, with the
schema's default; `config.SCHEMA["router.threshold"].help` says what a key is for.
"""

from __future__ import annotations

from .schema import SCHEMA, Setting, in_section
from .store import Settings, load, validate

__all__ = ["SCHEMA", "Setting", "Settings", "in_section", "load", "validate"]
