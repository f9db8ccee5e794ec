"""Settings: every key declared once in `schema`, stored as TOML by `store`.

    from edgeapp import config
    settings = config.load()          # the user's settings file
    settings["router.threshold"]      # typed, with the schema's default
    config.SCHEMA["router.threshold"].help
"""

from __future__ import annotations

from .schema import SCHEMA, Setting, in_section
from .store import Settings, load, validate

__all__ = ["SCHEMA", "Setting", "Settings", "in_section", "load", "validate"]
