#!/usr/bin/env bash
# Build the self-contained Linux app folder and its .tar.gz with PyInstaller (`make package`).
#   packaging/dist/edgeapp/                          the app: run ./edgeapp (CLI) or ./edgeapp gui
#   packaging/dist/edgeapp-VERSION-linux-ARCH.tar.gz  the same folder, to hand out
# `make package` runs it with PYTHON=packaging/.venv/bin/python: a venv whose llama.cpp has every CPU
# variant (Makefile), so the folder runs on any x86-64 CPU, not only the building machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
version="$("$PY" -c 'import edgeapp; print(edgeapp.__version__)')"
arch="$(uname -m)"
"$PY" scripts/make_icon.py >/dev/null
# edgeapp.resources is the top-level resources/ folder (setup.py's package_dir). PyInstaller finds
# modules by path, not through the editable install's finder, so in a fresh clone it found no
# edgeapp.resources and the app failed at start-up ("No module named 'edgeapp.resources'"): give it
# that path for the build, and take it away again if it was not there before.
if [ ! -e edgeapp/resources ]; then
  ln -s ../resources edgeapp/resources
  trap 'rm -f edgeapp/resources' EXIT
fi
rm -rf packaging/dist/edgeapp
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath packaging/dist --workpath packaging/build packaging/edgeapp.spec
app=packaging/dist/edgeapp
cp resources/linux/edgeapp.desktop packaging/linux/install.sh resources/icons/edgeapp.png \
   resources/icons/edgeapp-512.png resources/icons/edgeapp.svg "$app/"
cat > "$app/README.txt" <<TXT
edgeapp $version for Linux ($arch). Run ./edgeapp gui for the window, ./edgeapp --help for the
terminal commands, ./install.sh to add it to your applications menu. Settings, conversations and
downloaded models live in your user folders (edgeapp doctor shows where), not in this folder.
llama.cpp in this folder carries one build per CPU generation and picks the best for this CPU
when it starts (EDGEAPP_CPU_VARIANT=haswell, say, forces one; ./edgeapp doctor shows the machine).
TXT
tarball="packaging/dist/edgeapp-$version-linux-$arch.tar.gz"
tar -C packaging/dist -czf "$tarball" edgeapp
echo "built $app ($(du -sh "$app" | cut -f1)) and $tarball ($(du -sh "$tarball" | cut -f1))"
