"""Where local state lives: one git-ignored folder at the repository root."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def local_dir() -> Path:
    """The folder for local data (LOCAL_DATA_DIR overrides it, e.g. for an isolated test run)."""
    return Path(os.environ.get("LOCAL_DATA_DIR") or REPO_ROOT / ".local").resolve()
