#!/usr/bin/env bash
# Zip each function (its package + shared, precompiled) into dist/<function>.zip.
# Usage: ./build-app.sh [--runtime python3.13] [--arch arm64] [function ...]
# The logic lives in src/buildtools (local tooling, never shipped).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
UV="${UV:-$(command -v uv || echo .tools/bin/uv)}"
export UV PYTHONPATH="$PWD/src"
exec "$UV" run --frozen python -m buildtools.app "$@"
