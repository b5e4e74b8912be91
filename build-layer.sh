#!/usr/bin/env bash
# Build dist/layer-<arch>.zip (python/ with the locked runtime dependencies as Lambda wheels).
# Usage: ./build-layer.sh [--runtime python3.13] [--arch arm64 --arch x86_64]  (default: both)
# Wheels come through uv's cache, so rebuilding needs no network.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
UV="${UV:-$(command -v uv || echo .tools/bin/uv)}"
export UV PYTHONPATH="$PWD/src"
exec "$UV" run --frozen python -m buildtools.layer "$@"
