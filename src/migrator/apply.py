"""Apply pending migrations to one database, idempotently and under yoyo's lock."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from psycopg.conninfo import conninfo_to_dict
from yoyo import get_backend, read_migrations

# In the repository, migrations/ sits at the root; in the migrations function's zip,
# build-app.sh copies it inside this package.
_CANDIDATES = (
    Path(__file__).resolve().parent / "migrations",
    Path(__file__).resolve().parents[2] / "migrations",
)


def migrations_dir() -> Path:
    """The folder holding the versioned SQL files."""
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("no migrations/ folder next to the migrator package or the repo root")


def yoyo_uri(conninfo: str) -> str:
    """yoyo's URI for a libpq connection string (a URI or key=value pairs), psycopg 3 driver.

    Every parameter goes in the query string, which yoyo hands to psycopg.connect() as keyword
    arguments: nothing is quoted by hand, whatever characters the password holds.
    """
    params = conninfo_to_dict(conninfo)
    return "postgresql+psycopg://?" + urlencode({key: str(value) for key, value in params.items()})


def apply_migrations(conninfo: str, directory: Path | None = None) -> list[str]:
    """Apply what is pending to the database `conninfo` names; returns the ids applied."""
    backend = get_backend(yoyo_uri(conninfo))
    migrations = read_migrations(str(directory or migrations_dir()))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [migration.id for migration in pending]
