#!/usr/bin/env bash
# Installs the pinned uv into .tools/ for machines that have Python but no uv.
# Tries a virtual environment first (needs ensurepip; on Debian the python3-venv package),
# then pip --target (needs pip); says what to install when neither is there.
set -euo pipefail
version="$1"
python="${2:-python3}"
cd "$(dirname "$0")/.."
rm -rf .tools
if "$python" -m venv .tools 2>/dev/null && .tools/bin/python -m pip --version >/dev/null 2>&1; then
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$version"
elif "$python" -m pip --version >/dev/null 2>&1; then
    rm -rf .tools
    "$python" -m pip install --quiet --disable-pip-version-check --target .tools/lib "uv==$version"
    mkdir -p .tools/bin
    ln -sf ../lib/bin/uv .tools/bin/uv
else
    echo "Cannot install uv: $python has neither venv (with ensurepip) nor pip." >&2
    echo "Install one of them (Debian/Ubuntu: apt-get install python3-venv) or uv itself." >&2
    exit 1
fi
.tools/bin/uv --version
