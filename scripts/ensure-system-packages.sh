#!/bin/sh
# Install the Debian packages the tests need, when they are missing and apt-get is usable (root, or
# sudo without a password). Shared by the faces' tests: the phone page's browser test needs
# `chromium`; the window's screenshots need `xvfb` (xvfb-run). Each argument is PACKAGE or
# PACKAGE:COMMAND (the command that shows it is installed; default: the package name).
# Never fails the build: a test that needs a missing package skips and says why.
#   sh scripts/ensure-system-packages.sh chromium xvfb:xvfb-run
set -u
missing=""
for spec in "$@"; do
  pkg=${spec%%:*}
  cmd=${spec#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: missing system packages:$missing (no apt-get here); the tests that need them skip" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "note: missing system packages:$missing (not root); install them with: sudo apt-get install$missing" >&2
  exit 0
fi
echo "Installing system packages:$missing (apt-get)"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
    || echo "note: could not install$missing; the tests that need them skip" >&2
fi
exit 0
