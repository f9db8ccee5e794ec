#!/bin/sh
# Install the unpacked edgeapp folder for this user: a launcher in ~/.local/bin, the menu entry and
# the icon. Run from the unpacked folder: ./install.sh   (./install.sh --uninstall removes them)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
bin="${XDG_BIN_HOME:-$HOME/.local/bin}"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$bin/edgeapp" "$apps/edgeapp.desktop" "$icons/edgeapp.png"
  echo "Removed the launcher, menu entry and icon (your settings and models stay)."
  exit 0
fi
mkdir -p "$bin" "$apps" "$icons"
ln -sf "$here/edgeapp" "$bin/edgeapp"
sed "s|^Exec=edgeapp|Exec=$here/edgeapp|" "$here/edgeapp.desktop" > "$apps/edgeapp.desktop"
cp "$here/edgeapp.png" "$icons/edgeapp.png"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" >/dev/null 2>&1 || true
echo "Installed: 'edgeapp' in $bin, and edgeapp in the applications menu."
