#!/usr/bin/env bash
# `make package-check`: does the built app run from its own folder, with nothing of the checkout or
# .venv? It prints its version, lists the models, answers a question headlessly with the embedded
# model (the crash guard's trial runs as a child of the frozen program), opens the window offscreen
# with its panels until the model is loaded and quits; then compares size and start-up times with the
# source install (.venv). About a minute on 2 cores, so it is not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
app="$root/packaging/dist/edgeapp"
[ -x "$app/edgeapp" ] || { echo "No built app in $app: run 'make package' first." >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
clean_env=(env -i "HOME=$work/home" "EDGEAPP_HOME=$work/home" "PATH=/usr/bin:/bin" "LANG=C.UTF-8")
TIMEFORMAT='%R s (CPU %U+%S s)'  # wall time, and CPU time (steadier on a busy machine)

secs() {  # secs VAR command...: run in $work with a clean environment, keep the times
  local var=$1; shift
  local t
  { t=$( { time (cd "$work" && "${clean_env[@]}" "$@" >"$work/out" 2>"$work/err") ; } 2>&1 ); } || {
    echo "FAILED: $*" >&2; cat "$work/out" "$work/err" >&2; exit 1; }
  printf -v "$var" '%s' "$t"
}

secs v_app "$app/edgeapp" --version;           echo "app      : $(cat "$work/out")"
secs v_app2 "$app/edgeapp" --version           # warm (files in the page cache)
secs list_app "$app/edgeapp" models list;      grep -m1 "This machine" "$work/out" || true
secs ask_app "$app/edgeapp" ask --mode local "What is 2 + 2?"
echo "answer   : $(head -c 200 "$work/out")"
secs ask_app2 "$app/edgeapp" ask --mode local "What is 2 + 2?"   # crash-guard verdict cached now
secs gui_app "${clean_env[@]}" QT_QPA_PLATFORM=offscreen EDGEAPP_PACKAGE_CHECK=gui "$app/edgeapp"
echo "window   : $(cat "$work/out")"

src="$root/.venv/bin/edgeapp"
rm -rf "$work/home"
secs v_src "$src" --version
secs v_src2 "$src" --version
secs ask_src "$src" ask --mode local "What is 2 + 2?"
secs ask_src2 "$src" ask --mode local "What is 2 + 2?"

size_app=$(du -sm "$app" | cut -f1)
tarball=$(ls "$root"/packaging/dist/edgeapp-*.tar.gz 2>/dev/null | tail -1)
size_tar=$( [ -n "$tarball" ] && du -sm "$tarball" | cut -f1 || echo "?")
size_venv=$(du -sm "$root/.venv" | cut -f1)
echo
echo "load average during the check: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) on $(nproc) cores"
echo "| | packaged app (folder) | source install (.venv) |"
echo "|---|---|---|"
echo "| size on disk | ${size_app} MB (.tar.gz ${size_tar} MB) | ${size_venv} MB (.venv, incl. test tools) |"
echo "| \`edgeapp --version\`, first / warm | ${v_app} / ${v_app2} | ${v_src} / ${v_src2} |"
echo "| \`edgeapp ask --mode local\`, first (crash-guard trial) / next | ${ask_app} / ${ask_app2} | ${ask_src} / ${ask_src2} |"
echo "| window open until the model is ready, then quit | ${gui_app} | |"
echo "package-check: OK"
