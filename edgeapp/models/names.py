"""The name a person sees for a model file, in every face (status bar, banner, Models panel,
`edgeapp chat`, `edgeapp models list`).

`model_title(path)` is the catalog entry's title when the file is one the catalog knows (by file
name, or by sha256 when a renamed file has a catalog entry's exact size), else the file name
cleaned up: `SmolLM2-135M-Instruct.Q4_1.gguf` -> "SmolLM2 135M Instruct Q4_1". The GGUF's own
`general.name` is never shown: converters fill it with training-run names ("Smollm2 135M 8k
Lc100K Mix1 Ep2").
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ModelError
from . import ModelEntry, entries

# a quantization tag at the end of a file name: Q4_1, Q4_K_M, IQ3_XXS, Q8_0, F16, BF16, F32
_QUANT = re.compile(r"(?i)[-._ ](I?Q\d+(?:_[A-Z0-9]+)*|BF16|F16|F32)$")
_NOISE = re.compile(r"(?i)[-._ ]gguf$")


def cleaned_file_name(file_name: str) -> str:
    """A file name as words: extension and "-GGUF" dropped, separators turned into spaces except
    inside numbers ("0.5B") and the quantization tag ("Q4_K_M"), which keep their spelling."""
    stem = Path(file_name).name
    if stem.lower().endswith(".gguf"):
        stem = stem[: -len(".gguf")]
    stem = _NOISE.sub("", stem)
    quant = ""
    found = _QUANT.search(stem)
    if found:
        quant, stem = found.group(1).upper(), stem[: found.start()]
    stem = _NOISE.sub("", stem)
    words = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", stem)  # a dot between digits stays: 2.5, 0.5B
    words = re.sub(r"[-_\s]+", " ", words).strip()
    title = f"{words} {quant}".strip()
    return title or Path(file_name).name


def catalog_entry_for(path: Path | str, sha256: str | None = None) -> ModelEntry | None:
    """The catalog entry this file is: same file name; else the same sha256 (`sha256` when the
    caller knows it, else computed, and cached, only for a file exactly the size of an entry)."""
    path = Path(path)
    known = entries()
    wanted = path.name.lower()
    for entry in known:
        if entry.file.lower() == wanted:
            return entry
    hashed = [e for e in known if e.sha256]
    if sha256 is None:
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if not any(e.size == size for e in hashed):
            return None
        from .catalog import file_sha256

        try:
            sha256 = file_sha256(path)
        except OSError:
            return None
    return next((e for e in hashed if e.sha256 == sha256.lower()), None)


def model_title(path: Path | str, sha256: str | None = None) -> str:
    """What to call the model in `path` on screen (see the module's docstring)."""
    try:
        entry = catalog_entry_for(path, sha256)
    except ModelError:  # a damaged catalog must not hide the model's name
        entry = None
    return entry.title if entry is not None else cleaned_file_name(Path(path).name)
