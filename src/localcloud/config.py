"""The local cloud's own settings (tooling, never shipped): ports, external services, log level.

What runs, and with which settings, comes from the declaration (localcloud.declared).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from localcloud.paths import local_dir

if TYPE_CHECKING:
    from pathlib import Path

# Fake credentials: moto accepts any, and boto3 must never find real ones while working locally.
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "localcloud",
    "AWS_SECRET_ACCESS_KEY": "localcloud",
    "AWS_DEFAULT_REGION": "us-east-1",
}


DEFAULT_DEBUG_PORT = 5678  # debugpy's usual port, which .vscode/launch.json attaches to


class ConfigError(Exception):
    """A local cloud variable holds a bad value."""


@dataclass(frozen=True)
class LocalConfig:
    """Where `make dev` listens and what it starts itself, read from the environment."""

    api_port: int
    s3_port: int
    database_url: str | None  # None: the embedded PostgreSQL under data_dir
    s3_endpoint: str | None  # None: moto in this process
    data_dir: Path
    log_level: str
    debug_port: int | None = None  # DEBUG=1: debugpy listens there (localcloud.debugger)

    @property
    def listing_fallback(self) -> bool:
        """True when S3 is external (MinIO): it cannot notify a queue, so the bucket is listed."""
        return self.s3_endpoint is not None


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    if not raw.isdigit() or not 0 <= int(raw) <= 65535:
        raise ConfigError(f"{name} must be a port number (0 picks a free one), got {raw!r}")
    return int(raw)


def _debug_port() -> int | None:
    """DEBUG_PORT (default DEFAULT_DEBUG_PORT) when DEBUG=1, else None."""
    # Only "1": other tools read DEBUG too (node's `debug` takes DEBUG=*), and a shell that has
    # it set for them must not start a debugger, nor stop `make dev` with an error.
    return _port("DEBUG_PORT", DEFAULT_DEBUG_PORT) if os.environ.get("DEBUG") == "1" else None


def chosen_log_level(default: str) -> str:
    """The functions' log level asked for on the command line, in Powertools' order of names."""
    return os.environ.get("POWERTOOLS_LOG_LEVEL") or os.environ.get("LOG_LEVEL") or default


def load_config() -> LocalConfig:
    """Read the variables once, at start; a bad value names the variable."""
    return LocalConfig(
        api_port=_port("API_PORT", 3000),
        s3_port=_port("S3_PORT", 9000),
        database_url=os.environ.get("DATABASE_URL") or None,
        s3_endpoint=os.environ.get("AWS_ENDPOINT_URL_S3") or None,
        data_dir=local_dir(),
        # The functions' JSON logs stay quiet unless asked: the console shows one line per call.
        log_level=chosen_log_level("WARNING"),
        debug_port=_debug_port(),
    )
