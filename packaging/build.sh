#!/usr/bin/env bash
# Build the self-contained Linux app folder and its .tar.gz with PyInstaller (`make package`).
#   packaging/dist/edgeapp/                          the app: run ./edgeapp (CLI) or ./edgeapp gui
#   packaging/dist/edgeapp-VERSION-linux-ARCH.tar.gz  the same folder, to hand out
# Uses the project's .venv (llama.cpp as built there, for this CPU: see docs/desktop.md "Machines it runs on").
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
version="$("$PY" -c 'import edgeapp; print(edgeapp.__version__)')"
arch="$(uname -m)"
"$PY" scripts/make_icon.py >/dev/null
rm -rf packaging/dist/edgeapp
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath packaging/dist --workpath packaging/build packaging/edgeapp.spec
app=packaging/dist/edgeapp
cp resources/linux/edgeapp.desktop packaging/linux/install.sh resources/icons/edgeapp.png "$app/"
cat > "$app/README.txt" <<TXT
edgeapp $version for Linux ($arch). Run ./edgeapp gui for the window, ./edgeapp --help for the
terminal commands, ./install.sh to add it to your applications menu. Settings, conversations and
downloaded models live in your user folders (edgeapp doctor shows where), not in this folder.
llama.cpp in this folder was built for the CPU of the machine that built it (see the project README).
TXT
tarball="packaging/dist/edgeapp-$version-linux-$arch.tar.gz"
tar -C packaging/dist -czf "$tarball" edgeapp
echo "built $app ($(du -sh "$app" | cut -f1)) and $tarball ($(du -sh "$tarball" | cut -f1))"
