"""Apply pending migrations to one database, idempotently and under yoyo's lock."""

from __future__ import annotations

from pathlib import Path

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


def yoyo_uri(database_url: str) -> str:
    """yoyo's URI for a libpq URI: the same address, with yoyo's psycopg 3 driver."""
    scheme, sep, rest = database_url.partition("://")
    if not sep or scheme not in ("postgresql", "postgres"):
        raise ValueError("expected a postgresql:// URI")
    return f"postgresql+psycopg://{rest}"


def apply_migrations(database_url: str, directory: Path | None = None) -> list[str]:
    """Apply what is pending; returns the ids applied (empty when up to date)."""
    backend = get_backend(yoyo_uri(database_url))
    migrations = read_migrations(str(directory or migrations_dir()))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [migration.id for migration in pending]
