"""Whether the window can open, checked before Qt starts: a display plugin whose system library is
missing, no display at all, the package names per distribution, and a platform tried in a child
process. The broken plugin is a real shared library built here, linked against one that is then
deleted, so `ldd` reports it exactly as it reports a desktop without libxcb-cursor0."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from edgeapp import display_check

needs_cc = pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("ldd") is None,
                              reason="needs gcc and ldd to build a plugin with a missing library")


@pytest.fixture
def broken_plugin(tmp_path):
    """A folder holding libqxcb.so that links against libedgeapp-gone.so.1, which is not there."""
    src = tmp_path / "gone.c"
    src.write_text("int edgeapp_gone(void) { return 1; }\n")
    gone = tmp_path / "libedgeapp-gone.so.1"
    subprocess.run(["gcc", "-shared", "-fPIC", "-Wl,-soname,libedgeapp-gone.so.1", "-o", str(gone), str(src)],
                   check=True)
    plugin_src = tmp_path / "plugin.c"
    plugin_src.write_text("int edgeapp_gone(void);\nint plugin(void) { return edgeapp_gone(); }\n")
    folder = tmp_path / "platforms"
    folder.mkdir()
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(folder / "libqxcb.so"), str(plugin_src), str(gone)],
                   check=True)
    gone.unlink()
    return folder


@needs_cc
def test_a_missing_library_is_named_with_the_package_and_the_command(broken_plugin):
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":7", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_plugin)}
    status = display_check.check(env, release={"ID": "debian"})
    assert not status.ok and status.platform == "xcb"
    assert status.missing == ["libedgeapp-gone.so.1"]
    assert "libedgeapp-gone.so.1" in status.problem and "sudo apt install" in status.problem
    assert "`edgeapp chat`" in status.problem


@needs_cc
def test_edgeapp_gui_says_what_to_install_instead_of_crashing(broken_plugin):
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":7",
           "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_plugin), "HOME": str(broken_plugin.parent)}
    proc = subprocess.run([display_check.sys.executable, "-m", "edgeapp.cli", "gui"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "libedgeapp-gone.so.1" in proc.stderr and "Could not load the Qt platform plugin" not in proc.stderr


def test_no_display_points_to_the_terminal_and_the_companion():
    status = display_check.check({"QT_QPA_PLATFORM": ""}, release={"ID": "debian"})
    if display_check.platform.system() != "Linux":  # pragma: no cover - the check is for Linux desktops
        pytest.skip("no display variables on this system")
    assert not status.ok
    assert "no display" in status.problem and "`edgeapp chat`" in status.problem and "`edgeapp serve`" in status.problem


def test_offscreen_needs_no_display():
    assert display_check.check({"QT_QPA_PLATFORM": "offscreen"}).ok


@pytest.mark.parametrize(("release", "expected"), [
    ({"ID": "ubuntu", "ID_LIKE": "debian"}, ["apt", "install", "libxcb-cursor0", "libxcb-icccm4"]),
    ({"ID": "fedora"}, ["dnf", "install", "xcb-util-cursor", "xcb-util-wm"]),
    ({"ID": "manjaro", "ID_LIKE": "arch"}, ["pacman", "-S", "xcb-util-cursor", "xcb-util-wm"]),
    ({"ID": "opensuse-tumbleweed", "ID_LIKE": "opensuse suse"}, ["zypper", "install", "libxcb-cursor0",
                                                                 "libxcb-icccm4"]),
])
def test_package_names_follow_the_distribution(release, expected):
    manager = display_check.installer(release)
    status = display_check.status_for_missing("xcb", ["libxcb-cursor.so.0", "libxcb-icccm.so.4"], manager)
    assert status.install == expected
    assert f"`sudo {' '.join(expected)}`" in status.problem


def test_an_unknown_distribution_still_gets_the_library_names():
    status = display_check.status_for_missing("xcb", ["libxcb-cursor.so.0"], display_check.installer({"ID": "plan9"}))
    assert status.install == [] and "libxcb-cursor.so.0" in status.problem


def test_a_platform_that_cannot_start_is_caught_in_a_child_process():
    status = display_check.try_platform({"QT_QPA_PLATFORM": "no-such-platform", "PATH": "/usr/bin:/bin"})
    assert not status.ok
    assert "no-such-platform" in status.problem


def test_the_offscreen_platform_starts_in_a_child_process():
    status = display_check.try_platform({"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert status.ok and status.platform == "offscreen"


@needs_cc
def test_doctor_fails_the_desktop_check_and_names_the_packages(broken_plugin, monkeypatch):
    from edgeapp.diagnostics import check_desktop

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":7")
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", str(broken_plugin))
    result = check_desktop()
    assert result.ok is False and result.name == "desktop"
    assert result.details["missing"] == ["libedgeapp-gone.so.1"] and "libedgeapp-gone.so.1" in result.summary


def test_doctor_reports_no_display_as_information_not_failure(monkeypatch):
    from edgeapp.diagnostics import check_desktop

    if display_check.platform.system() != "Linux":  # pragma: no cover
        pytest.skip("display variables are a Linux matter")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    result = check_desktop()
    assert result.ok is None and "`edgeapp chat`" in result.summary


def test_doctor_says_the_window_can_open_where_it_can(monkeypatch):
    from edgeapp.diagnostics import check_desktop

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    result = check_desktop()
    assert result.ok is True and result.details["platform"] == "offscreen"
