"""A freshly migrated database for one benchmark, on the embedded server under .local/."""

from __future__ import annotations


def migrated_database(name: str) -> str:
    """Drop and re-create database `name`, apply migrations/, and return its URI."""
    import psycopg
    from psycopg import sql

    from localcloud.paths import local_dir
    from localcloud.postgres import start_embedded, with_database
    from migrator.apply import apply_migrations

    server = start_embedded(local_dir() / "bench-postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        database = sql.Identifier(name)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(database))
    url = with_database(server, name)
    apply_migrations(url)
    return url
