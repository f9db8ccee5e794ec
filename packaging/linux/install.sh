#!/bin/sh
# Install the unpacked edgeapp folder for this user (no root needed): a launcher in ~/.local/bin, the
# applications-menu entry and the icon (freedesktop.org paths, so GNOME, KDE, Xfce and others show
# it). The folder stays where it is: move it first if you want it elsewhere (~/Applications/edgeapp,
# say), then run ./install.sh from it.  ./install.sh --uninstall removes the launcher, entry and icons
# (your settings, conversations and downloaded models stay; `edgeapp doctor` shows where they are).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
bin="${XDG_BIN_HOME:-$HOME/.local/bin}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"
refresh() {
  command -v update-desktop-database >/dev/null && update-desktop-database "$apps" >/dev/null 2>&1 || true
}
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$bin/edgeapp" "$apps/edgeapp.desktop" "$icons/256x256/apps/edgeapp.png" \
        "$icons/512x512/apps/edgeapp.png" "$icons/scalable/apps/edgeapp.svg"
  refresh
  echo "Removed the launcher, menu entry and icon (your settings and models stay)."
  exit 0
fi
[ -x "$here/edgeapp" ] || { echo "Run install.sh from the unpacked edgeapp folder." >&2; exit 1; }
mkdir -p "$bin" "$apps" "$icons/256x256/apps" "$icons/512x512/apps" "$icons/scalable/apps"
ln -sf "$here/edgeapp" "$bin/edgeapp"
# Exec gets the folder's absolute path, quoted (the desktop entry spec) in case it has spaces
exe="$here/edgeapp"
case "$exe" in *[[:space:]]*) exe="\"$exe\"" ;; esac
sed "s|^Exec=edgeapp|Exec=$exe|" "$here/edgeapp.desktop" > "$apps/edgeapp.desktop"
cp "$here/edgeapp.png" "$icons/256x256/apps/edgeapp.png"
[ -f "$here/edgeapp-512.png" ] && cp "$here/edgeapp-512.png" "$icons/512x512/apps/edgeapp.png"
[ -f "$here/edgeapp.svg" ] && cp "$here/edgeapp.svg" "$icons/scalable/apps/edgeapp.svg"
refresh
echo "Installed: 'edgeapp' in $bin, and edgeapp in the applications menu."
case ":$PATH:" in *":$bin:"*) ;; *) echo "($bin is not on your PATH: the menu entry works; for the terminal, add it to PATH.)" ;; esac
