"""What this machine can run: free memory, CPU cores and features, the GPU llama.cpp can offload to;
and for each model a label, *fits*, *may be slow* or *won't fit*, with one model recommended.

How the numbers are chosen (docs/models-and-packaging.md, "Models: choosing, downloading,
switching", says the same):
- **Memory a model needs** is `ModelEntry.ram(n_ctx)`: the file (weights are memory-mapped and
  every one is read for every token), the f16 KV cache for the context, the compute buffer
  (one 512-token batch of logits) and 50 MiB. For the embedded 135M model at n_ctx 4096 this says
  330 MiB; llama.cpp's resident memory measured 206 MiB above Python's, so it errs on the safe side.
- **Memory there is** is the OS's *available* memory (what can be had without swapping), less
  `APP_RESERVE` for edgeapp itself (Python, the spaCy model and Presidio, the window) and the OS.
  A model needing up to 85 % of that fits; up to 100 % may be slow (the system starts evicting the
  memory-mapped weights); more won't fit.
- **Speed**: generating a token reads all the weights once, so tokens/s is about memory bandwidth /
  file size. We assume `CORE_BANDWIDTH` per core up to 8 cores (a laptop's dual-channel memory
  gives 15-30 GB/s to llama.cpp), halved without the SIMD llama.cpp leans on (AVX2 on x86,
  NEON on ARM). Under `SLOW_TOKENS_PER_S` (about reading speed) a model may be slow.
- **GPU**: with a build that can offload (`llama_supports_gpu_offload`), a CUDA GPU with the
  model's memory free (nvidia-smi, less 300 MiB) runs it at GPU speed; Apple silicon's Metal uses
  unified memory, of which macOS lets the GPU use about two thirds (and, as on the CPU, a model
  should leave 15 % of that free). A model too big for the GPU
  runs partly on the CPU: at best *may be slow*.
- **Recommended**: the largest model (parameters) that fits; failing that the smallest that may be
  slow; failing that the embedded one.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import DEFAULT_N_CTX, MIB, ModelEntry

GIB = 1 << 30
APP_RESERVE = 1 * GIB  # edgeapp's own process (~0.6 GiB with the gatekeeper loaded) + headroom
FITS_SHARE = 0.85
CORE_BANDWIDTH = 4e9  # bytes/s of model weights one core streams through llama.cpp
MAX_BANDWIDTH_CORES = 8  # memory bandwidth, not cores, limits beyond this
CUDA_BANDWIDTH = 300e9  # a modest discrete GPU
METAL_BANDWIDTH = 100e9  # M1-class unified memory
METAL_GPU_SHARE = 0.66  # macOS's default GPU working-set limit, as a share of RAM
GPU_RESERVE = 300 * MIB  # the CUDA context and llama.cpp's GPU buffers
SLOW_TOKENS_PER_S = 8.0

FITS, SLOW, NO = "fits", "may be slow", "won't fit"


@dataclass
class Machine:
    total_ram: int
    available_ram: int
    cores: int
    arch: str = "x86_64"
    cpu_features: frozenset[str] = field(default_factory=frozenset)
    gpu: str | None = None  # "cuda" | "metal" | None
    gpu_name: str = ""
    vram_total: int = 0
    vram_free: int = 0
    gpu_offload: bool = False  # this llama.cpp build can offload layers to the GPU

    @property
    def simd(self) -> bool:
        features = {f.lower() for f in self.cpu_features}
        if self.arch in ("arm64", "aarch64"):
            return bool(features & {"neon", "asimd"}) or not features  # every arm64 CPU has NEON
        return "avx2" in features

    @property
    def usable_gpu(self) -> str | None:
        return self.gpu if self.gpu and self.gpu_offload else None

    def describe(self) -> str:
        gpu = "no GPU offload"
        if self.gpu == "cuda":
            free, total = self.vram_free / GIB, self.vram_total / GIB
            gpu = f"{self.gpu_name or 'NVIDIA GPU'}, {free:.1f} of {total:.1f} GB free"
        elif self.gpu == "metal":
            gpu = "Apple GPU (Metal, unified memory)"
        if self.gpu and not self.gpu_offload:
            gpu += " (this llama.cpp build cannot offload to it)"
        simd = ("AVX2" if self.arch not in ("arm64", "aarch64") else "NEON") + (
            " yes" if self.simd else " no"
        )
        return (
            f"{self.available_ram / GIB:.1f} of {self.total_ram / GIB:.1f} GB memory available, "
            f"{self.cores} cores ({self.arch}, {simd}), {gpu}"
        )

    def to_dict(self) -> dict:
        row = asdict(self)
        row["cpu_features"] = sorted(self.cpu_features)
        return row


@dataclass
class Fit:
    label: str  # FITS | SLOW | NO
    where: str  # "GPU" | "CPU"
    need: int  # bytes at n_ctx
    tokens_per_s: float  # the rough estimate above
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


def cpu_tokens_per_s(size: int, machine: Machine) -> float:
    bandwidth = CORE_BANDWIDTH * min(machine.cores, MAX_BANDWIDTH_CORES)
    if not machine.simd:
        bandwidth /= 2
    return bandwidth / max(size, 1)


def fit(entry: ModelEntry, machine: Machine, n_ctx: int = DEFAULT_N_CTX) -> Fit:
    need = entry.ram(n_ctx)
    usable = max(0, machine.available_ram - APP_RESERVE)
    gpu = machine.usable_gpu
    if gpu == "cuda" and need <= machine.vram_free - GPU_RESERVE:
        return Fit(
            FITS,
            "GPU",
            need,
            CUDA_BANDWIDTH / entry.size,
            f"needs {need / GIB:.1f} GB; {machine.vram_free / GIB:.1f} GB free on the GPU",
        )
    if gpu == "metal":
        gpu_room = min(usable, METAL_GPU_SHARE * machine.total_ram)
        if need <= FITS_SHARE * gpu_room:
            return Fit(
                FITS,
                "GPU",
                need,
                METAL_BANDWIDTH / entry.size,
                f"needs {need / GIB:.1f} GB; the GPU may use {gpu_room / GIB:.1f} GB of unified memory",
            )
    speed = cpu_tokens_per_s(entry.size, machine)
    if need > usable:
        return Fit(
            NO, "CPU", need, speed, f"needs {need / GIB:.1f} GB; {usable / GIB:.1f} GB free for a model"
        )
    spill = " (too big for the GPU: runs on the CPU)" if gpu else ""
    if need > FITS_SHARE * usable:
        return Fit(
            SLOW,
            "CPU",
            need,
            speed,
            f"needs {need / GIB:.1f} GB of the {usable / GIB:.1f} GB free: little to spare{spill}",
        )
    if speed < SLOW_TOKENS_PER_S:
        return Fit(
            SLOW, "CPU", need, speed, f"about {speed:.0f} tokens/s on {machine.cores} CPU cores{spill}"
        )
    return Fit(
        FITS,
        "CPU",
        need,
        speed,
        f"needs {need / GIB:.1f} GB of {usable / GIB:.1f} GB free; "
        f"about {speed:.0f} tokens/s on the CPU{spill}",
    )


def recommend(models: list[ModelEntry], machine: Machine, n_ctx: int = DEFAULT_N_CTX) -> ModelEntry | None:
    """The largest model that fits; else the smallest that may be slow; else the embedded one."""
    fits = {m.name: fit(m, machine, n_ctx) for m in models}
    good = [m for m in models if fits[m.name].label == FITS]
    if good:
        return max(good, key=lambda m: (m.params, -m.size))
    slow = [m for m in models if fits[m.name].label == SLOW]
    if slow:
        return min(slow, key=lambda m: m.size)
    return next((m for m in models if m.embedded), None)


# -- detection ---------------------------------------------------------------------------------
def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def memory() -> tuple[int, int]:
    """(total, available) bytes: psutil when installed, else /proc/meminfo, sysctl/vm_stat (macOS)
    or GlobalMemoryStatusEx (Windows)."""
    try:
        import psutil

        vm = psutil.virtual_memory()
        return int(vm.total), int(vm.available)
    except ImportError:
        pass
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        values = {}
        for line in meminfo.read_text().splitlines():
            key, _, rest = line.partition(":")
            parts = rest.split()
            if parts:
                values[key] = int(parts[0]) * 1024
        total = values.get("MemTotal", 0)
        available = values.get("MemAvailable", values.get("MemFree", 0) + values.get("Cached", 0))
        return total, available
    if sys.platform == "darwin":
        total = int(_run("sysctl", "-n", "hw.memsize").strip() or 0)
        page = int(_run("sysctl", "-n", "hw.pagesize").strip() or 4096)
        stats = _run("vm_stat")
        pages = 0
        for name in ("Pages free", "Pages inactive", "Pages speculative", "Pages purgeable"):
            found = re.search(rf"{name}:\s+(\d+)", stats)
            pages += int(found.group(1)) if found else 0
        return total, min(total, pages * page) if pages else total // 2
    if sys.platform == "win32":  # pragma: no cover - not tested here
        import ctypes

        class Status(ctypes.Structure):
            _fields_ = [
                ("length", ctypes.c_ulong),
                ("load", ctypes.c_ulong),
                ("total", ctypes.c_ulonglong),
                ("avail", ctypes.c_ulonglong),
                ("tp", ctypes.c_ulonglong),
                ("ap", ctypes.c_ulonglong),
                ("tv", ctypes.c_ulonglong),
                ("av", ctypes.c_ulonglong),
                ("ae", ctypes.c_ulonglong),
            ]

        status = Status()
        status.length = ctypes.sizeof(Status)
        ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))
        return int(status.total), int(status.avail)
    return 0, 0


def cpu_features() -> frozenset[str]:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith(("flags", "Features")):
                return frozenset(line.split(":", 1)[1].split())
    if sys.platform == "darwin":
        text = _run("sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features")
        if text.strip():
            return frozenset(word.lower().replace(".", "_") for word in text.split())
        if platform.machine() == "arm64":
            return frozenset({"neon"})
    return frozenset()


def cuda_gpu() -> tuple[str, int, int] | None:
    """(name, total, free) of the first NVIDIA GPU, from nvidia-smi; None without one."""
    smi = shutil.which("nvidia-smi")
    if not smi:
        return None
    out = _run(smi, "--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits")
    line = out.strip().splitlines()[0] if out.strip() else ""
    parts = [p.strip() for p in line.split(",")]
    if len(parts) != 3:
        return None
    try:
        return parts[0], int(float(parts[1])) * MIB, int(float(parts[2])) * MIB
    except ValueError:
        return None


def detect(*, check_gpu_offload: bool = True) -> Machine:
    from .local_model import available_cores

    total, available = memory()
    arch = platform.machine().lower() or "unknown"
    machine = Machine(
        total_ram=total,
        available_ram=available,
        cores=available_cores(),
        arch="arm64" if arch in ("arm64", "aarch64") else arch,
        cpu_features=cpu_features(),
    )
    cuda = cuda_gpu()
    if cuda:
        machine.gpu, (machine.gpu_name, machine.vram_total, machine.vram_free) = "cuda", cuda
    elif sys.platform == "darwin" and machine.arch == "arm64":
        machine.gpu, machine.gpu_name = "metal", "Apple GPU"
        machine.vram_total = machine.vram_free = total
    if machine.gpu and check_gpu_offload and not os.environ.get("EDGEAPP_NO_GPU_PROBE"):
        from .engine_check import gpu_offload_supported

        machine.gpu_offload = gpu_offload_supported()
    return machine
