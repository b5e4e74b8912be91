"""`python -m migrator`: apply pending migrations to $DATABASE_URL."""

from __future__ import annotations

import os
import sys

from migrator.apply import apply_migrations


def main() -> int:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    applied = apply_migrations(database_url)
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
