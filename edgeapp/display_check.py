"""Can this machine show the window? Checked before Qt starts, without importing Qt.

Qt aborts the whole process when its platform plugin cannot load ("Could not load the Qt platform
plugin "xcb" ... xcb-cursor0 or libxcb-cursor0 is needed"), which a user reads as a crash. On
Linux the usual cause is a system library the xcb plugin links against and the desktop lacks
(`libxcb-icccm4`, `libxcb-cursor0`, ...). `check()` reads the plugin's dependencies with `ldd`, names
the missing files, the packages that hold them on this distribution and the command that installs
them; with no display at all it says so and points to the terminal faces. `try_platform()` starts
the platform in a child process, for `edgeapp doctor`, which can afford the half second.
`python -m edgeapp.display_check --install` is what `make run` calls: it installs the packages where
it may (root, or sudo without a password) and otherwise prints the one sentence that says how.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# soname -> package, per package manager (Debian/Ubuntu, Fedora/RHEL, Arch, openSUSE)
_APT = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
_DNF = {
    "libxcb-cursor.so.0": "xcb-util-cursor",
    "libxcb-icccm.so.4": "xcb-util-wm",
    "libxcb-keysyms.so.1": "xcb-util-keysyms",
    "libxcb-image.so.0": "xcb-util-image",
    "libxcb-render-util.so.0": "xcb-util-renderutil",
    "libxcb-util.so.1": "xcb-util",
    "libX11-xcb.so.1": "libX11-xcb",
    "libX11.so.6": "libX11",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11",
    "libxkbcommon.so.0": "libxkbcommon",
    "libEGL.so.1": "libglvnd-egl",
    "libGL.so.1": "libglvnd-glx",
    "libOpenGL.so.0": "libglvnd-opengl",
    "libfontconfig.so.1": "fontconfig",
    "libfreetype.so.6": "freetype",
    "libdbus-1.so.3": "dbus-libs",
    "libglib-2.0.so.0": "glib2",
    "libwayland-client.so.0": "libwayland-client",
    "libwayland-cursor.so.0": "libwayland-cursor",
    "libwayland-egl.so.1": "libwayland-egl",
}
_PACMAN = {
    "libxcb-cursor.so.0": "xcb-util-cursor",
    "libxcb-icccm.so.4": "xcb-util-wm",
    "libxcb-keysyms.so.1": "xcb-util-keysyms",
    "libxcb-image.so.0": "xcb-util-image",
    "libxcb-render-util.so.0": "xcb-util-renderutil",
    "libxcb-util.so.1": "xcb-util",
    "libX11-xcb.so.1": "libx11",
    "libX11.so.6": "libx11",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11",
    "libxkbcommon.so.0": "libxkbcommon",
    "libEGL.so.1": "libglvnd",
    "libGL.so.1": "libglvnd",
    "libOpenGL.so.0": "libglvnd",
    "libfontconfig.so.1": "fontconfig",
    "libfreetype.so.6": "freetype2",
    "libdbus-1.so.3": "dbus",
    "libglib-2.0.so.0": "glib2",
    "libwayland-client.so.0": "wayland",
    "libwayland-cursor.so.0": "wayland",
    "libwayland-egl.so.1": "wayland",
}
# the rest of libxcb's extensions ship in the main package on Fedora and Arch
for _so in ("shape.so.0", "xkb.so.1", "randr.so.0", "xfixes.so.0", "sync.so.1", "shm.so.0", "render.so.0",
            "xinput.so.0", "so.1"):  # fmt: skip
    _DNF.setdefault(f"libxcb-{_so}" if _so != "so.1" else "libxcb.so.1", "libxcb")
    _PACMAN.setdefault(f"libxcb-{_so}" if _so != "so.1" else "libxcb.so.1", "libxcb")


@dataclass(frozen=True)
class Installer:
    """A package manager: how its packages are named and the command that installs them."""

    name: str
    packages: Mapping[str, str]
    command: tuple[str, ...]  # as a person types it (the sentence shows it with sudo)
    unattended: tuple[str, ...]  # the same, answering yes (make run)


INSTALLERS = {
    "apt": Installer(
        "apt", _APT, ("apt", "install"), ("apt-get", "install", "-y", "--no-install-recommends")
    ),
    "dnf": Installer("dnf", _DNF, ("dnf", "install"), ("dnf", "install", "-y")),
    "pacman": Installer("pacman", _PACMAN, ("pacman", "-S"), ("pacman", "-S", "--needed", "--noconfirm")),
    "zypper": Installer("zypper", _APT, ("zypper", "install"), ("zypper", "--non-interactive", "install")),
}
_LIKE = {"debian": "apt", "ubuntu": "apt", "fedora": "dnf", "rhel": "dnf", "centos": "dnf", "arch": "pacman",
         "suse": "zypper", "opensuse": "zypper"}  # fmt: skip


@dataclass
class DisplayStatus:
    """What `check()` found: `ok`, or one sentence (`problem`) that says what is wrong and what to do."""

    ok: bool
    platform: str  # the Qt platform the window would use: xcb, wayland, offscreen, cocoa, windows...
    problem: str = ""
    missing: list[str] = field(default_factory=list)  # library files the platform plugin needs
    packages: list[str] = field(default_factory=list)  # the packages that hold them here
    install: list[str] = field(default_factory=list)  # the command a person types (without sudo)
    unattended: list[str] = field(default_factory=list)  # the same for a script (make run)


def qt_platform(env: Mapping[str, str]) -> str:
    """The platform plugin Qt will load, as Qt picks it: QT_QPA_PLATFORM first, else Wayland in a
    Wayland session, else X11 (xcb) on Linux; the system's own elsewhere."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    system = platform.system()
    if system == "Darwin":
        return "cocoa"
    if system == "Windows":
        return "windows"
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def plugin_file(name: str, env: Mapping[str, str]) -> Path | None:
    """The platform plugin's shared library (`libqxcb.so`), in QT_QPA_PLATFORM_PLUGIN_PATH or
    PySide6's own plugin folder; None when it cannot be found."""
    folders = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    if spec is not None and spec.submodule_search_locations:
        folders.append(Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms")
    for folder in folders:
        candidate = folder / f"libq{name}.so"
        if candidate.is_file():
            return candidate
    return None


def missing_libraries(library: Path) -> list[str]:
    """The shared libraries `library` needs (directly or through others) that the dynamic loader
    cannot find, as `ldd` reports them; [] when ldd is not there."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        out = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", out, flags=re.MULTILINE)
    return sorted(set(found))


def os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {k: v.strip().strip('"') for k, _, v in (line.partition("=") for line in text.splitlines()) if v}


def installer(release: Mapping[str, str] | None = None) -> Installer | None:
    """The package manager of this distribution, from /etc/os-release (ID, then ID_LIKE)."""
    release = os_release() if release is None else release
    for word in [release.get("ID", ""), *release.get("ID_LIKE", "").split()]:
        for known, manager in _LIKE.items():
            if word.startswith(known):
                return INSTALLERS[manager]
    return None


def no_display(env: Mapping[str, str] | None = None) -> bool:
    """True on Linux when no display server is named (a server, a container, an SSH session)."""
    env = os.environ if env is None else env
    return platform.system() == "Linux" and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")


def _no_display_problem() -> str:
    return (
        "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        "Run edgeapp from a desktop session, or use it in the terminal with `edgeapp chat`, or serve it "
        "to your browser and other apps with `edgeapp serve`."
    )


def status_for_missing(platform_name: str, missing: list[str], manager: Installer | None) -> DisplayStatus:
    status = DisplayStatus(False, platform_name, missing=missing)
    if manager is not None:
        status.packages = sorted({manager.packages.get(so, so) for so in missing})
        status.install = [*manager.command, *status.packages]
        status.unattended = [*manager.unattended, *status.packages]
        how = f"install them with `sudo {shlex.join(status.install)}`"
    else:
        how = "install the packages of your distribution that provide them"
    status.problem = (
        f"The window cannot open: Qt's {platform_name} display plugin needs system libraries this machine "
        f"lacks ({', '.join(missing)}); {how}, then start edgeapp again (`edgeapp chat` works meanwhile)."
    )
    return status


def check(env: Mapping[str, str] | None = None, *, release: Mapping[str, str] | None = None) -> DisplayStatus:
    """Whether the window can open here; fast (one `ldd`), for every `edgeapp gui` start."""
    env = os.environ if env is None else env
    name = qt_platform(env)
    if platform.system() != "Linux" or name in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return DisplayStatus(True, name)
    if name == "xcb" and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return DisplayStatus(False, name, _no_display_problem())
    if name == "wayland" and not env.get("WAYLAND_DISPLAY"):
        return DisplayStatus(False, name, _no_display_problem())
    plugin = plugin_file(name, env)
    if plugin is None:
        return DisplayStatus(True, name)  # Qt will say what it misses; nothing to add
    missing = missing_libraries(plugin)
    if missing:
        return status_for_missing(name, missing, installer(release))
    return DisplayStatus(True, name)


def try_platform(env: Mapping[str, str] | None = None, timeout: float = 30.0) -> DisplayStatus:
    """Start Qt's platform in a child process (a QGuiApplication, nothing shown): catches what the
    library check cannot (an X server that refuses the connection, a broken plugin)."""
    env = dict(os.environ if env is None else env)
    status = check(env)
    if not status.ok:
        return status
    code = "from PySide6.QtGui import QGuiApplication; app = QGuiApplication([]); print(app.platformName())"
    try:
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        return DisplayStatus(False, status.platform, f"Qt's {status.platform} display plugin did not start "
                             f"within {timeout:.0f} s; the display may not be reachable.")  # fmt: skip
    if proc.returncode == 0:
        return DisplayStatus(True, proc.stdout.strip() or status.platform)
    said = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith(" ")]
    reason = said[0] if said else f"exit status {proc.returncode}"
    return DisplayStatus(
        False, status.platform, f"Qt's {status.platform} display plugin did not start: {reason}"
    )


def _may_install() -> list[str] | None:
    """The prefix that runs the package manager as root here ([] as root, sudo -n), or None."""
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0:
        return [sudo, "-n"]
    return None


def ensure_installed() -> int:
    """`make run`: install the missing display libraries where allowed, else print how. Exit 0
    unless the window certainly cannot open (then `make run` still tries, and Qt's error follows)."""
    status = check()
    if status.ok or not status.unattended:
        if not status.ok:
            print(status.problem, file=sys.stderr)
        return 0
    prefix = _may_install()
    if prefix is None:
        print(status.problem, file=sys.stderr)
        return 0
    print(f"Installing the libraries the window needs: {' '.join(status.packages)}", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run([*prefix, *status.unattended], env=env, capture_output=True).returncode != 0:
        if status.unattended[0] == "apt-get":  # a fresh machine's package lists may be empty
            subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run([*prefix, *status.unattended], env=env, capture_output=True)
    after = check()
    if not after.ok:
        print(after.problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--install"]:
        sys.exit(ensure_installed())
    result = check()
    print("ok" if result.ok else result.problem)
    sys.exit(0 if result.ok else 1)
