"""Load llama.cpp's CPU code for this CPU, in the packaged app (imported by entry.py first).

The package's llama.cpp is built with `GGML_BACKEND_DL=ON GGML_CPU_ALL_VARIANTS=ON` (Makefile,
`make package`): instead of one CPU library compiled for the building machine, `llama_cpp/lib` holds
one `libggml-cpu-VARIANT.so` per x86 generation (x64, sse42, sandybridge, haswell, skylakex, icelake,
alderlake, zen4, ...), each with a `ggml_backend_score` that checks CPUID, and ggml loads the one that
scores highest on the machine it runs on. The Sapphire Rapids variant (AMX tiles) is left out of the
package (see the Makefile's note on AMX), so an AMX CPU gets the AVX-512 one below it.

ggml looks for the variants only next to the *executable* and in the current folder, never next to
libggml itself, and llama-cpp-python does not tell it where they are; so before anything loads a model
this asks libggml to load the best one from `llama_cpp/lib` (`ggml_backend_load_all_from_path`). Once a
backend is registered, llama.cpp's own `llama_backend_init` loads nothing more.

`EDGEAPP_CPU_VARIANT=haswell` loads that variant instead of the best one: a way round a variant that
misbehaves on some CPU, and how the package check proves the AVX2-only code answers too.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

PREFIX, SUFFIX = ("ggml-", ".dll") if sys.platform == "win32" else ("libggml-", ".so")


def lib_dir() -> Path | None:
    """llama_cpp/lib in the frozen app (or in the Python environment that runs this)."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "llama_cpp" / "lib"
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "lib"


def variants(lib: Path) -> list[str]:
    """The CPU variants shipped in `lib` (empty for a build with its CPU code built in)."""
    return sorted(p.name[len(PREFIX) + 4:-len(SUFFIX)] for p in lib.glob(f"{PREFIX}cpu-*{SUFFIX}"))


def loaded_variant() -> str | None:
    """Which CPU variant this process has mapped (Linux: /proc/self/maps), else None."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    for line in maps.splitlines():
        name = line.rsplit("/", 1)[-1]
        if name.startswith(f"{PREFIX}cpu-") and name.endswith(SUFFIX):
            return name[len(PREFIX) + 4:-len(SUFFIX)]
    return None


_SILENT = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)(lambda *_: None)


def quiet(lib: Path) -> None:
    """Send ggml's log to nowhere until llama_cpp installs its logger (which follows `verbose`)."""
    # by its soname, not a path: the copy libggml already loaded (a path to another copy of the same
    # file, as wheels and PyInstaller keep them, would load a second ggml-base with its own logger)
    try:
        base = ctypes.CDLL("ggml-base.dll" if sys.platform == "win32" else "libggml-base.so.0")
    except OSError:
        return
    base.ggml_log_set.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    base.ggml_log_set(ctypes.cast(_SILENT, ctypes.c_void_p), None)


def load_cpu_backend() -> str | None:
    """Register the best (or the chosen) CPU variant with ggml; the variant's name, or None when
    this llama.cpp has no variants to choose from (its CPU code is in libggml itself)."""
    lib = lib_dir()
    if lib is None or not variants(lib):
        return None
    ggml_name = "ggml.dll" if sys.platform == "win32" else "libggml.so"
    if sys.platform == "win32":  # ggml.dll needs ggml-base.dll beside it (llama_cpp does the same)
        os.add_dll_directory(str(lib))
    ggml = ctypes.CDLL(str(lib / ggml_name))  # the same handle llama_cpp gets when it opens it
    if not os.environ.get("EDGEAPP_PACKAGE_CHECK"):  # ggml would say "loaded CPU backend" on stderr for
        quiet(lib)                                   # every command; llama_cpp sets its own logger later
    chosen = os.environ.get("EDGEAPP_CPU_VARIANT", "").strip()
    if chosen:
        path = lib / f"{PREFIX}cpu-{chosen}{SUFFIX}"
        ggml.ggml_backend_load.argtypes = [ctypes.c_char_p]
        ggml.ggml_backend_load.restype = ctypes.c_void_p
        if not path.is_file() or not ggml.ggml_backend_load(str(path).encode()):
            raise SystemExit(f"EDGEAPP_CPU_VARIANT={chosen}: no such CPU variant here "
                             f"(there are: {', '.join(variants(lib))}).")
    else:
        ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        ggml.ggml_backend_load_all_from_path(str(lib).encode())
    return loaded_variant() or chosen or "loaded"
