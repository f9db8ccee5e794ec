"""Settings as stored: a TOML file in the user config folder, read and written through the schema.

A key this version does not know is kept as it is through load and save (an older or newer edgeapp
wrote it); a known key is checked against `schema.SCHEMA` on the way in.
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any

import tomli_w

from .. import paths
from ..errors import Action, ConfigError
from .schema import SCHEMA, Setting

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _coerce(key: Setting, raw: Any) -> Any:
    if isinstance(raw, key.type) and not (key.type is int and isinstance(raw, bool)):
        return raw
    if key.type is int and isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if key.type is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if key.type is bool:
                if text.lower() in ("1", "true", "yes", "on"):
                    return True
                if text.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError
            if key.type is int:
                return int(text)
            if key.type is float:
                return float(text)
            if key.type is list:
                return [s.strip() for s in text.split(",") if s.strip()]
        except ValueError:
            pass
    raise ConfigError(f"{key.name} expects a {key.type.__name__}, got {raw!r}.")


def validate(name: str, raw: Any) -> Any:
    key = SCHEMA.get(name)
    if key is None:
        close = difflib.get_close_matches(name, SCHEMA, n=1, cutoff=0.75) or [
            k for k in SCHEMA if k.split(".")[-1] == name.split(".")[-1]
        ]
        hint = f" Did you mean {close[0]}?" if close else " Run `edgeapp config show` to list the keys."
        raise ConfigError(f"Unknown setting '{name}'.{hint}")
    value = _coerce(key, raw)
    if key.check is not None:
        problem = key.check(value)
        if problem:
            raise ConfigError(f"{name} {problem} (got {value!r}).")
    return value


class Settings:
    """Typed access to settings; unknown keys in the file are kept (and saved back) but ignored."""

    def __init__(
        self,
        values: dict[str, Any] | None = None,
        path: Path | None = None,
        unknown: dict[str, Any] | None = None,
    ):
        self.path = path
        self._values: dict[str, Any] = dict(values or {})
        self._unknown: dict[str, Any] = dict(unknown or {})  # keys this version does not know, as read

    def __getitem__(self, name: str) -> Any:
        if name not in SCHEMA:
            raise ConfigError(f"Unknown setting '{name}'.")
        return self._values.get(name, SCHEMA[name].default)

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in SCHEMA else default

    def set(self, name: str, raw: Any) -> Any:
        value = validate(name, raw)
        self._values[name] = value
        return value

    def unset(self, name: str) -> None:
        if name not in SCHEMA:
            validate(name, None)  # raises the 'unknown setting' error
        self._values.pop(name, None)

    def is_default(self, name: str) -> bool:
        return name not in self._values

    def items(self) -> list[tuple[str, Any]]:
        return [(name, self[name]) for name in sorted(SCHEMA)]

    def unknown(self) -> dict[str, Any]:
        """Keys in the file that this version does not know (kept as they are when saving)."""
        return dict(self._unknown)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def copy(self, **overrides: Any) -> Settings:
        clone = Settings(self._values, self.path, self._unknown)
        for name, value in overrides.items():
            clone.set(name.replace("__", "."), value)
        return clone

    def save(self, path: Path | None = None) -> Path:
        path = path or self.path or paths.config_file()
        nested: dict[str, Any] = {}
        for name, value in sorted({**self._unknown, **self._values}.items()):
            if name in self._values and value is None:  # TOML has no null: an unset value is absent
                continue
            section, _, leaf = name.partition(".")
            if not leaf:  # a top-level value this version does not know
                nested[section] = value
                continue
            table = nested.setdefault(section, {})
            if isinstance(table, dict):
                table[leaf] = value
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(tomli_w.dumps(nested), encoding="utf-8")
        os.replace(tmp, path)
        self.path = path
        return path


def load(path: Path | None = None) -> Settings:
    path = path or paths.config_file()
    if not path.exists():
        return Settings(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"The settings file {path} is not valid TOML ({exc}). Fix it or delete it to start from defaults."
        ) from exc
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for name, raw in _flatten("", data):
        if name in SCHEMA:
            try:
                values[name] = validate(name, raw)
            except ConfigError as exc:
                raise ConfigError(f"In {path}: {exc}", action=Action(f"Fix {name}", setting=name)) from exc
        else:
            unknown[name] = raw
    return Settings(values, path, unknown)


def _flatten(prefix: str, table: dict[str, Any]):
    """(dotted name, value) for every setting in a TOML document: `[privacy.policy] credit_card`
    and `[privacy] "policy.credit_card"` both give `privacy.policy.credit_card`."""
    for leaf, value in table.items():
        name = f"{prefix}.{leaf}" if prefix else leaf
        if isinstance(value, dict) and name not in SCHEMA:
            yield from _flatten(name, value)
        else:
            yield name, value
