"""An ordinary (not editable) install finds its package data and answers, from outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_install_answers_from_outside_the_checkout(tmp_path, default_model):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, cwd=tmp_path, timeout=300)
    wheel = next(wheels.glob("edgeapp-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("prices.toml", "catalog.toml", "prompts/system.txt", "gatekeeper/places.txt.gz",
                 "icons/edgeapp.png", "linux/edgeapp.desktop"):  # the top-level resources/ folder
        assert f"edgeapp/resources/{data}" in names, f"resources/{data} is not in the wheel"

    # A fresh virtual environment holding only the wheel; the dependencies (llama.cpp, Presidio, ...)
    # come from the test environment through a .pth line, so nothing is downloaded.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True, timeout=300)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = dict(os.environ, EDGEAPP_HOME=str(tmp_path / "home"), PYTHONPATH="")
    where = subprocess.run([str(python), "-c", "import edgeapp; print(edgeapp.__file__)"], cwd=outside, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(site), f"edgeapp came from {where}, not the wheel install"
    assert not where.startswith(str(ROOT))
    found = subprocess.run([str(python), "-c", "from edgeapp import paths; print(paths.resource('prices.toml'))"],
                           cwd=outside, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert found.startswith(site) and Path(found).is_file(), f"the price table came from {found}"
    proc = subprocess.run([str(python), "-m", "edgeapp.cli", "ask", "--mode", "local", "--json", "What is 17 * 23?"],
                          cwd=outside, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    record = json.loads(proc.stdout)
    assert record["route"] == "local" and record["answer"].strip()
    assert record["local_model"]
