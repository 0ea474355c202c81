#!/usr/bin/env bash
# Installs what Motion Studio needs on a fresh Debian/Ubuntu machine: the system libraries Qt's xcb
# platform and Mesa's software OpenGL need (plus Xvfb for headless tests), then a venv in .venv.
#   bash scripts/setup.sh          # the app
#   bash scripts/setup.sh --test   # the app + pytest, pytest-qt, pytest-xvfb
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "--test" ] && extra="[test]"

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends \
    xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 \
    libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0 \
    libgl1 libglx-mesa0 libgl1-mesa-dri libegl1 libfontconfig1 libdbus-1-3 >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch is pinned exactly (==2.13.0) in pyproject.toml: an open range would pull a multi-GB CUDA build.
.venv/bin/python -m pip install -q -e ".${extra}"
echo "setup done: .venv is ready"
