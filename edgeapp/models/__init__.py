"""Models a user can choose: the catalog's chat models as `ModelEntry`, the models folder, what
this machine can run (`hardware`), downloads (`downloads`), GGUF metadata (`gguf_info`).

Nothing here touches the network unless `downloads.pull` is called, and that only happens when the
user asks (`edgeapp models pull NAME`, the Models panel's Download button).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from .. import paths
from ..errors import ModelError

MIB = 1 << 20
# What edgeapp's default context costs, as catalog.toml's ram_mb assumes (config local.n_ctx).
DEFAULT_N_CTX = 4096
COMPUTE_BYTES_PER_VOCAB = 2048  # one 512-token batch of float32 logits: 512 x 4 bytes per vocab entry
FIXED_OVERHEAD = 50 * MIB  # llama.cpp's context, graph and buffers besides the above


def ram_needed(size: int, kv_bytes_per_token: int, n_vocab: int, n_ctx: int = DEFAULT_N_CTX) -> int:
    """Bytes a model needs at `n_ctx`: its weights (the file, memory-mapped and all read once per
    token), the f16 KV cache for n_ctx tokens, the compute buffer and a fixed overhead."""
    return size + kv_bytes_per_token * n_ctx + n_vocab * COMPUTE_BYTES_PER_VOCAB + FIXED_OVERHEAD


@dataclass(frozen=True)
class ModelEntry:
    """A chat model of the catalog (the embedded default, or one `edgeapp models pull` downloads)."""

    name: str
    title: str
    family: str
    params: float
    file: str
    size: int
    sha256: str
    quant: str
    context: int
    n_vocab: int
    kv_bytes_per_token: int
    ram_mb: int
    license: str
    chat_template: bool
    good_for: str
    url: str = ""
    package: str = ""
    source: str = ""
    description: str = ""
    default: bool = False

    @property
    def embedded(self) -> bool:
        return bool(self.package)

    def ram(self, n_ctx: int = DEFAULT_N_CTX) -> int:
        return ram_needed(self.size, self.kv_bytes_per_token, self.n_vocab, n_ctx)


def entries(table: dict | None = None) -> list[ModelEntry]:
    """The catalog's chat models (embedded and downloadable), smallest first; benchmark-only
    entries are left out."""
    from .catalog import catalog

    table = catalog() if table is None else table
    known = {f.name for f in fields(ModelEntry)}
    found = [
        ModelEntry(name=name, **{k: v for k, v in entry.items() if k in known})
        for name, entry in table.items()
        if "url" in entry or "package" in entry
    ]
    return sorted(found, key=lambda e: (e.size, e.name))


def find(name: str, table: dict | None = None) -> ModelEntry:
    wanted = name.strip().lower()
    all_entries = entries(table)
    for entry in all_entries:
        if wanted in (entry.name.lower(), entry.file.lower()):
            return entry
    names = ", ".join(e.name for e in all_entries)
    raise ModelError(f"No model called {name!r} in the catalog. Known: {names} (`edgeapp models list`).")


def models_dir() -> Path:
    """Where downloaded models live: `models/` under the data folder. Partial downloads sit in its
    `.partial/` subfolder (same volume, so the final move is atomic), never among the models."""
    path = paths.data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def checkout_models_dir() -> Path | None:
    """`models/` at the top of a source checkout: GGUF files a developer keeps beside the code (the
    benchmark models among them). None in an installed wheel or a packaged app (models/README.md)."""
    root = paths.source_checkout()
    return root / "models" if root is not None else None


def model_folders() -> list[Path]:
    """Every folder whose GGUF files `edgeapp models list` shows: the downloads folder, then the
    checkout's `models/` when edgeapp runs from a source checkout."""
    folders = [models_dir()]
    checkout = checkout_models_dir()
    if checkout is not None and checkout.is_dir() and checkout.resolve() != folders[0].resolve():
        folders.append(checkout)
    return folders


def installed_path(entry: ModelEntry) -> Path | None:
    """The model's file on this machine, or None: the package file for the embedded model, the
    downloaded file for the others."""
    if entry.embedded:
        from .catalog import default_model_path

        try:
            return default_model_path(check=False)
        except ModelError:
            return None
    for folder in model_folders():
        path = folder / entry.file
        if path.is_file():
            return path
    return None
