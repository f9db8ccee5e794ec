"""Read a GGUF file's metadata (architecture, parameters, quantization, context, chat template)
without loading its weights.

`read_header` is a small reader of the GGUF header (the key/value metadata and the tensor table;
it never reads tensor data). It checks a download before it is moved into place and answers
`edgeapp models info`. llama.cpp's own reader, the `gguf` package, gives the same answers
(`tests/test_models.py` compares them) and is used with `info(..., reader="gguf")`, but it builds
a numpy view for every vocabulary entry: 18 s for the embedded 135M model's header on our 2-core CI
machine against 0.3 s here, and a Gemma 3 vocabulary is five times larger. So it is optional.
"""

from __future__ import annotations

import struct
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ModelError

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)

# GGUF value types
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9

# llama.cpp's `general.file_type` (enum llama_ftype), as `gguf.LlamaFileType` names them
FILE_TYPES = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
    38: "MXFP4",
}


class GGUFError(ModelError):
    """The file is not a readable GGUF model (wrong signature, unsupported version, truncated)."""


@dataclass
class Header:
    version: int
    metadata: dict[str, Any]
    tensors: list[tuple[str, tuple[int, ...], int]]  # (name, shape, ggml type)
    arrays: dict[str, int] = field(default_factory=dict)  # array-valued keys: their length


class _Reader:
    def __init__(self, fh: BinaryIO, path: Path):
        self.fh, self.path = fh, path

    def take(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise GGUFError(f"{self.path.name} is truncated: its GGUF header ends early. Download it again.")
        return data

    def scalar(self, kind: int):
        fmt = _SCALARS[kind]
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self, keep: bool = True) -> str | None:
        n = self.scalar(10)
        if n > 1 << 30:
            raise GGUFError(f"{self.path.name} has a corrupt GGUF header (a {n}-byte string).")
        if not keep:
            self.fh.seek(n, 1)
            return None
        return self.take(n).decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool = True):
        if kind in _SCALARS:
            return self.scalar(kind)
        if kind == _STRING:
            return self.string(keep)
        if kind == _ARRAY:
            item, count = self.scalar(4), self.scalar(10)
            if count > 1 << 32:
                raise GGUFError(f"{self.path.name} has a corrupt GGUF header (an array of {count} items).")
            if item in _SCALARS and not keep:
                self.fh.seek(struct.calcsize(_SCALARS[item]) * count, 1)
                return count
            values = [self.value(item, keep) for _ in range(count)]
            return values if keep else count
        raise GGUFError(f"{self.path.name} has a corrupt GGUF header (value type {kind}).")


def read_header(path: Path | str, *, keep_arrays: bool = False) -> Header:
    """Parse the GGUF header of `path`: metadata and tensor table, never the weights. Large arrays
    (the tokenizer's vocabulary) are skipped unless `keep_arrays`; their lengths are kept."""
    path = Path(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise GGUFError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    with fh:
        reader = _Reader(fh, path)
        if fh.read(4) != MAGIC:
            raise GGUFError(
                f"{path.name} is not a GGUF model file (it does not start with the GGUF signature)."
            )
        version = reader.scalar(4)
        if version not in SUPPORTED_VERSIONS:
            raise GGUFError(f"{path.name} is GGUF version {version}; llama.cpp reads versions 2 and 3.")
        n_tensors, n_kv = reader.scalar(10), reader.scalar(10)
        if n_tensors > 1 << 20 or n_kv > 1 << 20:
            raise GGUFError(f"{path.name} has a corrupt GGUF header ({n_tensors} tensors, {n_kv} keys).")
        metadata: dict[str, Any] = {}
        arrays: dict[str, int] = {}
        for _ in range(n_kv):
            key = reader.string()
            kind = reader.scalar(4)
            if kind == _ARRAY and not keep_arrays:
                arrays[key] = reader.value(kind, keep=False)
                continue
            metadata[key] = reader.value(kind)
            if kind == _ARRAY:
                arrays[key] = len(metadata[key])
        tensors = []
        for _ in range(n_tensors):
            name = reader.string()
            n_dims = reader.scalar(4)
            if n_dims > 8:
                raise GGUFError(f"{path.name} has a corrupt GGUF tensor table ({n_dims} dimensions).")
            shape = tuple(reader.scalar(10) for _ in range(n_dims))
            ggml_type = reader.scalar(4)
            reader.scalar(10)  # offset of the data
            tensors.append((name, shape, ggml_type))
        return Header(version, metadata, tensors, arrays)


def check_file(path: Path | str) -> Header:
    """A download's last check before it is moved into place: a GGUF header that parses, with an
    architecture and at least one tensor."""
    header = read_header(path)
    if "general.architecture" not in header.metadata or not header.tensors:
        raise GGUFError(
            f"{Path(path).name} has a GGUF header but no model in it (no architecture or tensors)."
        )
    return header


@dataclass
class ModelInfo:
    path: str
    file_size: int
    gguf_version: int
    architecture: str
    name: str
    parameters: int
    size_label: str
    quantization: str
    context_length: int | None
    n_layers: int | None
    n_vocab: int | None
    kv_bytes_per_token: int | None
    chat_template: bool
    chat_template_chars: int
    license: str
    tensors: int
    reader: str  # "gguf" (llama.cpp's package) or "edgeapp"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _params_text(n: int) -> str:
    return f"{n / 1e9:.2f}B" if n >= 1e9 else f"{n / 1e6:.0f}M"


def _from_metadata(
    path: Path,
    version: int,
    meta: dict[str, Any],
    shapes: list[tuple[int, ...]],
    n_vocab: int | None,
    reader: str,
) -> ModelInfo:
    arch = str(meta.get("general.architecture", "?"))

    def arch_key(leaf: str):
        return meta.get(f"{arch}.{leaf}")

    params = 0
    for shape in shapes:
        count = 1
        for dim in shape:
            count *= int(dim)
        params += count
    file_type = meta.get("general.file_type")
    quant = FILE_TYPES.get(int(file_type), f"type {file_type}") if file_type is not None else "?"
    layers = arch_key("block_count")
    heads = arch_key("attention.head_count")
    kv_heads = arch_key("attention.head_count_kv") or heads
    if isinstance(kv_heads, list):  # per-layer counts (some architectures)
        kv_heads = max(kv_heads) if kv_heads else None
    key_len = arch_key("attention.key_length")
    value_len = arch_key("attention.value_length")
    embd = arch_key("embedding_length")
    kv_bytes = None
    if layers and kv_heads:
        if not key_len and embd and heads:
            key_len = embd // heads
        value_len = value_len or key_len
        if key_len:
            kv_bytes = int(layers) * int(kv_heads) * (int(key_len) + int(value_len)) * 2
    template = meta.get("tokenizer.chat_template") or ""
    return ModelInfo(
        path=str(path),
        file_size=path.stat().st_size,
        gguf_version=version,
        architecture=arch,
        name=str(meta.get("general.name", "")),
        parameters=params,
        size_label=str(meta.get("general.size_label") or _params_text(params)),
        quantization=quant,
        context_length=int(arch_key("context_length")) if arch_key("context_length") else None,
        n_layers=int(layers) if layers else None,
        n_vocab=n_vocab,
        kv_bytes_per_token=kv_bytes,
        chat_template=bool(template),
        chat_template_chars=len(template),
        license=str(meta.get("general.license", "")),
        tensors=len(shapes),
        reader=reader,
    )


def _info_with_gguf(path: Path) -> ModelInfo:
    import gguf  # llama.cpp's reader (memory-maps the file; tensor data is never read)

    reader = gguf.GGUFReader(str(path), "r")
    meta: dict[str, Any] = {}
    n_vocab = None
    for key, fld in reader.fields.items():
        if key.startswith("GGUF."):
            continue
        if fld.types and fld.types[0] == gguf.GGUFValueType.ARRAY:
            if key == "tokenizer.ggml.tokens":
                n_vocab = len(fld.data)
            if key.startswith("tokenizer."):
                continue
        meta[key] = fld.contents()
    version = int(reader.fields["GGUF.version"].parts[-1][0])
    shapes = [tuple(int(d) for d in t.shape) for t in reader.tensors]
    return _from_metadata(path, version, meta, shapes, n_vocab, "gguf")


def info(path: Path | str, *, reader: str = "edgeapp") -> ModelInfo:
    """The model's metadata, read from the header only; `reader="gguf"` uses llama.cpp's package."""
    path = Path(path)
    header = read_header(path)  # also the clear error for a file that is not GGUF
    if reader == "gguf":
        try:
            return _info_with_gguf(path)
        except ImportError as exc:
            raise ModelError("The `gguf` package is not installed: pip install gguf.") from exc
    shapes = [shape for _, shape, _ in header.tensors]
    return _from_metadata(
        path, header.version, header.metadata, shapes, header.arrays.get("tokenizer.ggml.tokens"), "edgeapp"
    )
