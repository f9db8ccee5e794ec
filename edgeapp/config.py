"""Settings: a registry of known keys, stored in a TOML file in the user config dir.

Keys are dotted (`router.threshold`); the TOML file nests them by their first part.
Modules that need settings register their keys here, so `edgeapp config show` lists
everything and `edgeapp config set` validates everything in one place. The modules that own keys
(`edgeapp.ledger.keys`, `edgeapp.gatekeeper.policy`) are imported by the first `load`,
`validate` or `known_keys`, so every key is known whatever a face imported; and a key this
version does not know is kept as it is through load and save (an older or newer edgeapp wrote it).
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from . import paths
from .errors import Action, ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any
    help: str
    check: Callable[[Any], str | None] | None = None  # returns an error sentence or None
    secret: bool = False


KEYS: dict[str, Key] = {}
# modules that register keys on import; imported on first use (they import this module)
KEY_MODULES = ("edgeapp.ledger.keys", "edgeapp.gatekeeper.policy")
_all_registered = False


def register(key: Key) -> Key:
    KEYS[key.name] = key
    return key


def register_all() -> dict[str, Key]:
    """Import every module that owns settings keys (once); returns the registry."""
    global _all_registered
    if not _all_registered:
        _all_registered = True  # set first: the modules import this one
        for name in KEY_MODULES:
            try:
                _import_keys_module(name)
            except ImportError:  # an optional part not installed: its keys stay unknown (and kept)
                pass
    return KEYS


def _import_keys_module(name: str) -> None:
    """Import a module of keys without running its package's __init__ when that package is not
    loaded yet: `edgeapp.gatekeeper` pulls in Presidio and spaCy (seconds), its keys need nothing.
    The package, imported later, finds the module already in sys.modules and uses it."""
    import importlib
    import importlib.util

    if name in sys.modules:
        return
    package = name.rpartition(".")[0]
    path = Path(__file__).resolve().parent.joinpath(*name.split(".")[1:]).with_suffix(".py")
    if package in sys.modules or not path.is_file():  # loaded already, or a frozen app: the usual way
        importlib.import_module(name)
        return
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise


def _between(lo: float, hi: float) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if lo <= v <= hi else f"must be between {lo} and {hi}"

    return check


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v in choices else f"must be one of: {', '.join(choices)}"

    return check


def _url(v: Any) -> str | None:
    if v == "" or v.startswith(("http://", "https://")):
        return None
    return "must start with http:// or https:// (for example https://api.openai.com/v1)"


for _k in [
    Key("cloud.base_url", str, "", "OpenAI-compatible base URL, e.g. https://api.openai.com/v1", _url),
    Key("cloud.model", str, "gpt-4o-mini", "model name sent to the cloud endpoint"),
    Key("cloud.provider", str, "", "label for the ledger (default: derived from the base URL host)"),
    Key("cloud.api_key_env", str, "EDGEAPP_API_KEY", "environment variable read when the keyring has no key"),
    Key("cloud.connect_timeout", float, 5.0, "seconds to wait for a connection", _between(0.1, 120)),
    Key("cloud.read_timeout", float, 60.0, "seconds to wait between bytes of the reply", _between(0.1, 600)),
    Key("cloud.max_retries", int, 3, "retries on 429/5xx/connection errors", _between(0, 10)),
    Key(
        "cloud.max_tokens", int, 1024, "maximum tokens the cloud may generate per answer", _between(1, 65536)
    ),
    Key(
        "cloud.temperature",
        float,
        -1.0,
        "sampling temperature sent to the cloud (-1: the provider's default; 0: deterministic)",
        _between(-1.0, 2.0),
    ),
    Key("cloud.stream", bool, True, "stream the cloud answer (SSE)"),
    Key(
        "cloud.history_tokens",
        int,
        2000,
        "most tokens of earlier messages sent with an escalated question "
        "(newest first; 0: only the question)",
        _between(0, 200_000),
    ),
    Key(
        "privacy.confirm_before_send",
        bool,
        False,
        "show what would be sent and ask before each escalation "
        "leaves the machine (chat asks y/N; ask needs --yes without a terminal)",
    ),
    Key(
        "collab.compress",
        bool,
        False,
        "before escalating, drop the words the local model finds most predictable "
        "(numbers, names and the question are kept; more when the local answer was nearly good enough)",
    ),
    Key(
        "collab.exclusion_hints",
        bool,
        False,
        "multiple choice: tell the cloud which options the local model "
        "found least likely, when that is informative",
    ),
    Key(
        "collab.mode",
        str,
        "answer",
        "answer: the cloud answers; shepherd: the cloud writes the first steps and "
        "the local model finishes; align: the cloud writes a plan, the local model answers from it",
        _one_of("answer", "shepherd", "align"),
    ),
    Key(
        "router.mode",
        str,
        "auto",
        "auto: escalate below the threshold; local: never; cloud: always",
        _one_of("auto", "local", "cloud"),
    ),
    Key("router.threshold", float, 0.55, "escalate when confidence is below this", _between(0.0, 1.0)),
    Key("local.model_path", str, "", "GGUF file of the local model (empty: the embedded default)"),
    Key("local.n_ctx", int, 4096, "context window of the local model, in tokens", _between(256, 131072)),
    Key(
        "local.max_tokens",
        int,
        512,
        "maximum tokens the local model generates per answer",
        _between(1, 32768),
    ),
    Key(
        "local.n_threads", int, 0, "CPU threads for generation (0: one per available core)", _between(0, 256)
    ),
    Key(
        "local.n_gpu_layers",
        int,
        -1,
        "layers offloaded to the GPU (-1: all when the build supports it)",
        _between(-1, 1000),
    ),
]:
    register(_k)


def _coerce(key: Key, raw: Any) -> Any:
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
    register_all()
    key = KEYS.get(name)
    if key is None:
        close = difflib.get_close_matches(name, KEYS, n=1, cutoff=0.75) or [
            k for k in KEYS if k.split(".")[-1] == name.split(".")[-1]
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
        register_all()
        self.path = path
        self._values: dict[str, Any] = dict(values or {})
        self._unknown: dict[str, Any] = dict(unknown or {})  # keys this version does not know, as read

    def __getitem__(self, name: str) -> Any:
        if name not in KEYS:
            raise ConfigError(f"Unknown setting '{name}'.")
        return self._values.get(name, KEYS[name].default)

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in KEYS else default

    def set(self, name: str, raw: Any) -> Any:
        value = validate(name, raw)
        self._values[name] = value
        return value

    def unset(self, name: str) -> None:
        if name not in KEYS:
            validate(name, None)  # raises the 'unknown setting' error
        self._values.pop(name, None)

    def is_default(self, name: str) -> bool:
        return name not in self._values

    def items(self) -> list[tuple[str, Any]]:
        return [(name, self[name]) for name in sorted(KEYS)]

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
    register_all()
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
        if name in KEYS:
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
        if isinstance(value, dict) and name not in KEYS:
            yield from _flatten(name, value)
        else:
            yield name, value
