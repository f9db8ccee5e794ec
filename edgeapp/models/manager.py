"""The model manager behind `edgeapp models ...` and the Models panel: what is installed, pulling,
switching (after the crash guard), removing, cleaning."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import config
from ..cancel import CancelToken
from ..errors import Action, ModelError
from . import ModelEntry, downloads, entries, find, hardware, installed_path, model_folders, models_dir

RECORDS = "models.json"


# -- records: where each downloaded file came from and its sha256 -----------------------------------
def _records_file() -> Path:
    return models_dir() / RECORDS


def records() -> dict[str, dict]:
    try:
        return json.loads(_records_file().read_text())
    except (OSError, ValueError):
        return {}


def _save_records(rows: dict[str, dict]) -> None:
    target = _records_file()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(rows, indent=1, sort_keys=True))
    os.replace(tmp, target)


def record_for(file_name: str) -> dict | None:
    return records().get(file_name)


# -- what is in use -----------------------------------------------------------------------------
def model_in_use(settings: config.Settings | None = None) -> Path | None:
    """The file `local.model_path` names, or the embedded default's file when it is empty."""
    settings = settings or config.load()
    value = settings["local.model_path"]
    if value:
        return Path(value).expanduser()
    from .catalog import default_model_path

    try:
        return default_model_path(check=False)
    except ModelError:
        return None


def _same_file(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@dataclass
class Row:
    """One line of `edgeapp models list` / the Models panel."""

    name: str
    title: str
    size: int
    ram: int
    label: str
    reason: str
    where: str
    installed: bool
    in_use: bool
    recommended: bool
    embedded: bool
    verified: str  # "catalog" (sha256 in the catalog), "first download" (trusted), "" (none)
    good_for: str
    license: str
    path: str

    def to_dict(self) -> dict:
        return asdict(self)


def rows(
    settings: config.Settings | None = None, machine: hardware.Machine | None = None
) -> tuple[list[Row], hardware.Machine]:
    settings = settings or config.load()
    machine = machine or hardware.detect()
    n_ctx = settings["local.n_ctx"]
    models = entries()
    best = hardware.recommend(models, machine, n_ctx)
    in_use = model_in_use(settings)
    found = []
    for entry in models:
        path = installed_path(entry)
        fit = hardware.fit(entry, machine, n_ctx)
        record = record_for(entry.file) if not entry.embedded else None
        verified = "catalog" if entry.sha256 else ("first download" if record else "")
        found.append(
            Row(
                entry.name,
                entry.title,
                entry.size,
                fit.need,
                fit.label,
                fit.reason,
                fit.where,
                path is not None,
                _same_file(path, in_use),
                best is not None and best.name == entry.name,
                entry.embedded,
                verified,
                entry.good_for,
                entry.license,
                str(path or ""),
            )
        )
    return found, machine


def other_files() -> list[Path]:
    """GGUF files in the models folders that are not catalog models (copied there by hand)."""
    known = {e.file for e in entries()}
    return sorted(p for folder in model_folders() for p in folder.glob("*.gguf") if p.name not in known)


# -- pull ---------------------------------------------------------------------------------------
@dataclass
class Pulled:
    entry: ModelEntry
    path: Path
    sha256: str
    trusted_on_first_download: bool
    already: bool = False
    resumed_from: int = 0
    restarts: int = 0


def pull(
    name: str,
    *,
    progress: Callable[[downloads.Progress], None] | None = None,
    cancel: CancelToken | None = None,
    session=None,
    retries: int = 3,
    retry_wait: float = 1.0,
) -> Pulled:
    """Download a catalog model into the models folder (resuming a partial one)."""
    entry = find(name)
    if entry.embedded:
        path = installed_path(entry)
        if path is None:
            raise ModelError(f"{entry.name} ships with edgeapp; reinstall edgeapp to get it back.")
        return Pulled(entry, path, entry.sha256, False, already=True)
    folder = models_dir()
    downloads.clean_partials(folder)  # partial downloads older than a week
    dest = folder / entry.file
    record = record_for(entry.file)
    if dest.is_file():
        expected = entry.sha256 or (record or {}).get("sha256", "")
        from .catalog import file_sha256

        if expected and file_sha256(dest) == expected:
            return Pulled(entry, dest, expected, not entry.sha256, already=True)
        if expected:
            raise ModelError(
                f"{dest} is there but its sha256 does not match; remove it with "
                f"`edgeapp models rm {entry.name}` and pull again."
            )
    result = downloads.download(
        entry.url,
        dest,
        sha256=entry.sha256,
        expected_size=entry.size,
        progress=progress,
        cancel=cancel,
        session=session,
        retries=retries,
        retry_wait=retry_wait,
    )
    rows_ = records()
    rows_[entry.file] = {
        "name": entry.name,
        "sha256": result.sha256,
        "size": result.size,
        "url": entry.url,
        "verified": result.verified,
        "trusted_on_first_download": not result.verified,
        "downloaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _save_records(rows_)
    return Pulled(
        entry,
        result.path,
        result.sha256,
        not result.verified,
        resumed_from=result.resumed_from,
        restarts=result.restarts,
    )


# -- use ----------------------------------------------------------------------------------------
def resolve(name_or_path: str) -> tuple[Path, ModelEntry | None]:
    """A catalog name (installed) or a path to a GGUF file -> (file, catalog entry or None)."""
    candidate = Path(name_or_path).expanduser()
    looks_like_path = candidate.suffix.lower() == ".gguf" or os.sep in name_or_path or candidate.exists()
    if not looks_like_path:
        entry = find(name_or_path)
        path = installed_path(entry)
        if path is None:
            raise ModelError(
                f"{entry.name} is not downloaded yet: run `edgeapp models pull {entry.name}` first.",
                action=Action(f"Download {entry.title}", command=f"edgeapp models pull {entry.name}"),
            )
        return path, entry
    from .local_model import check_model_file

    path = candidate.resolve()
    check_model_file(path)
    entry = next((e for e in entries() if e.file == path.name), None)
    return path, entry


def use(name_or_path: str, settings: config.Settings | None = None) -> tuple[Path, config.Settings]:
    """Switch `local.model_path` to a model, after checking its file and running the crash guard on
    it (a file llama.cpp crashes on is refused and the setting left as it was). A running Assistant
    picks the change up on its next turn."""
    from .catalog import file_sha256
    from .engine_check import ensure_engine_runs

    settings = settings or config.load()
    path, entry = resolve(name_or_path)
    if entry is not None and not entry.embedded and path.parent == models_dir():
        expected = entry.sha256 or (record_for(entry.file) or {}).get("sha256", "")
        if expected and file_sha256(path) != expected:
            raise ModelError(
                f"{path.name} is damaged (its sha256 changed since it was downloaded): "
                f"`edgeapp models rm {entry.name}` and pull it again."
            )
    ensure_engine_runs(path, settings["local.n_gpu_layers"])  # raises EngineCrash: nothing switched
    if entry is not None and entry.embedded:
        settings.unset("local.model_path")
    else:
        settings.set("local.model_path", str(path))
    settings.save()
    return path, settings


# -- rm / clean ---------------------------------------------------------------------------------
def remove(name: str, settings: config.Settings | None = None) -> tuple[Path, int]:
    settings = settings or config.load()
    folder = models_dir()
    plain = folder / name
    if plain.suffix == ".gguf" and plain.is_file():
        path = plain
    else:
        entry = find(name)
        if entry.embedded:
            raise ModelError(f"{entry.name} ships with edgeapp and cannot be removed.")
        path = folder / entry.file
        if not path.is_file():
            raise ModelError(f"{entry.name} is not downloaded; nothing to remove.")
    if _same_file(path, model_in_use(settings)):
        raise ModelError(
            f"{path.name} is the model in use; switch to another first "
            "(`edgeapp models use smollm2-135m-instruct` goes back to the embedded one).",
            action=Action("Use the embedded model", command="edgeapp models use smollm2-135m-instruct"),
        )
    size = path.stat().st_size
    path.unlink()
    rows_ = records()
    if rows_.pop(path.name, None) is not None:
        _save_records(rows_)
    return path, size


def clean(*, everything: bool = True) -> list[tuple[Path, int]]:
    return downloads.clean_partials(
        models_dir(), older_than=None if everything else downloads.PARTIAL_MAX_AGE
    )
