"""A freshly migrated database for one benchmark, on the embedded server under .local/."""

from __future__ import annotations


def migrated_database(name: str) -> str:
    """Drop and re-create database `name`, apply migrations/, and return its URI."""
    from localcloud.paths import local_dir
    from localcloud.postgres import start_embedded
    from localcloud.scratch import create_database

    return create_database(start_embedded(local_dir() / "bench-postgres"), name)
