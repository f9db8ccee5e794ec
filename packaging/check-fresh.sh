#!/usr/bin/env bash
# `make package-fresh-check`: the whole way from the repository to a user's desktop, checked.
#   1. clone this repository (its committed HEAD) into a temporary folder and `make package` there
#      (its own packaging venv; llama.cpp for every CPU variant, from the wheel cache when built once);
#   2. unpack the .tar.gz into a temporary HOME and run install.sh as that user; validate the menu
#      entry (desktop-file-validate, when installed);
#   3. start Xvfb (a real X display, not Qt's offscreen platform) and run the command the menu entry
#      runs, with `env -i` and a PATH that has no python, no pip and no venv; the app types one
#      question into its window, presses Enter, waits for the answer and grabs the screen;
#   4. which CPU variant llama.cpp chose, and an answer from the AVX2-only (haswell) variant;
#   5. ./install.sh --uninstall, and check that the launcher, entry and icon are gone;
#   6. print build time, folder and tarball size.
# Slow (a PyInstaller build: 15-25 min on 2 cores, more the first time llama.cpp is built), so it is
# run by hand, never by `make test`. SCREENSHOT=path keeps the screenshot; KEEP=1 keeps the folder.
#   packaging/check-fresh.sh --tarball FILE   skips 1 and checks a tarball built before (or elsewhere)
#   PACKAGE_ENGINE_WHEEL=FILE.whl             (make reads it) a llama.cpp wheel built before, same recipe
set -euo pipefail
tarball=""
[ "${1:-}" = "--tarball" ] && tarball="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/edgeapp-fresh.XXXXXX")"
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
for tool in git make Xvfb tar; do command -v "$tool" >/dev/null || fail "$tool is needed (apt-get install git make xvfb)"; done

# 1. a fresh clone, built
build_s="-"
if [ -z "$tarball" ]; then
  [ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] || say "note: uncommitted changes in $src are not in the clone"
  git clone --quiet "$src" "$work/clone"
  say "cloned $(git -C "$work/clone" log -1 --format='%h %s')"
  start=$(date +%s)
  # the build is polite to a shared machine (BUILD_NICE=0 to give it full priority); the app runs are not
  # niced: the crash guard gives its trial a fixed time
  (cd "$work/clone" && nice -n "${BUILD_NICE:-10}" make package PYTHON="${PYTHON:-python3}") >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "make package"; }
  build_s=$(( $(date +%s) - start ))
  grep -E "^llama.cpp (for the package|built)" "$work/build.log" || true
  tarball="$(ls "$work"/clone/packaging/dist/edgeapp-*.tar.gz)"
  say "built in ${build_s} s: $(basename "$tarball")"
else
  say "checking $tarball (no build)"
fi

# 2. installed by a user: unpacked in their HOME, install.sh
home="$work/home"
mkdir -p "$home/Applications"
tar -C "$home/Applications" -xzf "$tarball"
app="$home/Applications/edgeapp"
# a PATH with every system command except Python and pip: the app must not need them
mkdir -p "$work/sysbin"
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
  name="${f##*/}"
  case "$name" in python*|pip*|pydoc*|idle*|2to3*|*venv*|virtualenv*) continue ;; esac
  [ -x "$f" ] && [ ! -e "$work/sysbin/$name" ] && ln -s "$f" "$work/sysbin/$name"
done
user_path="$home/.local/bin:$work/sysbin"
as_user=(env -i "HOME=$home" "PATH=$user_path" "LANG=C.UTF-8")
"${as_user[@]}" sh -c 'command -v python3 || command -v python || command -v pip' && fail "python is on the user's PATH"
"${as_user[@]}" "$app/install.sh"
entry="$home/.local/share/applications/edgeapp.desktop"
[ -f "$entry" ] && [ -L "$home/.local/bin/edgeapp" ] && [ -f "$home/.local/share/icons/hicolor/256x256/apps/edgeapp.png" ] \
  || fail "install.sh did not install the launcher, the menu entry and the icon"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$entry" && say "menu entry valid (desktop-file-validate)"
else
  say "desktop-file-validate not installed (apt-get install desktop-file-utils): entry not validated"
fi
exec_line="$(sed -n 's/^Exec=//p' "$entry")"
say "menu entry runs: $exec_line"
say "launcher on PATH: $("${as_user[@]}" sh -c 'command -v edgeapp') -> $("${as_user[@]}" edgeapp --version)"

# 3. the installed app on a real X display, one question through the window
display=""
for n in $(seq 90 120); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }; done
[ -n "$display" ] || fail "no free X display number"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
shot="$work/window.png"
read -r -a exec_cmd <<<"$exec_line"
t0=$(date +%s)
"${as_user[@]}" "DISPLAY=$display" EDGEAPP_PACKAGE_CHECK=chat "EDGEAPP_PACKAGE_SCREENSHOT=$shot" \
  "${exec_cmd[@]}" >"$work/chat.log" 2>"$work/chat.err" || { cat "$work/chat.log"; tail -30 "$work/chat.err"; fail "the window did not answer"; }
chat_s=$(( $(date +%s) - t0 ))
cat "$work/chat.log"
[ -s "$shot" ] || fail "no screenshot"
[ -n "${SCREENSHOT:-}" ] && cp "$shot" "$SCREENSHOT" && say "screenshot kept: $SCREENSHOT"

# 4. the CPU variant llama.cpp chose here, and the AVX2-only one answering
"${as_user[@]}" EDGEAPP_PACKAGE_CHECK=engine "$app/edgeapp"
forced="$("${as_user[@]}" EDGEAPP_CPU_VARIANT=haswell EDGEAPP_PACKAGE_CHECK=engine "$app/edgeapp" 2>&1)"
echo "with EDGEAPP_CPU_VARIANT=haswell:"; printf '%s\n' "$forced" | grep -v "^system info" || true
say "AVX2-only (haswell) variant: $("${as_user[@]}" EDGEAPP_CPU_VARIANT=haswell edgeapp ask --mode local "What is 2 + 2?" 2>&1 | head -c 200)"

# 5. uninstall
"${as_user[@]}" "$app/install.sh" --uninstall
[ ! -e "$entry" ] && [ ! -e "$home/.local/bin/edgeapp" ] && [ ! -e "$home/.local/share/icons/hicolor/256x256/apps/edgeapp.png" ] \
  || fail "install.sh --uninstall left files behind"

# 6. figures
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "| make package in a fresh clone | app folder | .tar.gz | installed app: window launch to answer |"
echo "|---|---|---|---|"
echo "| ${build_s} s | $(du -sm "$app" | cut -f1) MB | $(du -sm "$tarball" | cut -f1) MB | ${chat_s} s |"
echo "package-fresh-check: OK"
