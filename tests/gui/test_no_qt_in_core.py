"""Qt stays in edgeapp/gui/: importing every other module of the package loads no Qt binding."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import edgeapp


def test_no_core_module_imports_qt():
    names = [m.name for m in pkgutil.walk_packages(edgeapp.__path__, "edgeapp.")
             if not m.name.startswith("edgeapp.gui.") and not m.name.endswith(".__main__")]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    try:\n        importlib.import_module(name)\n    except ImportError:\n        pass\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6'))\n"
            "print(bad)\nsys.exit(1 if bad else 0)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "edgeapp.cli.main" in names and "edgeapp.cli.gui" in names and "edgeapp.assistant" in names
