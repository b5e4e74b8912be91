"""Short-lived services for the artifact check, the tests and the benches: a database, an S3.

One place for what each of them used to set up by itself: a database created (migrated or
empty), emptied and dropped on a running server, and moto's server with the fake credentials
that reach it. Local tooling only; never shipped.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localcloud.config import FAKE_AWS
from localcloud.postgres import with_database

if TYPE_CHECKING:
    from collections.abc import Iterator

    import psycopg
    from mypy_boto3_s3 import S3Client

# yoyo's bookkeeping: emptied, a migrated database would look unmigrated.
MIGRATION_TABLES = ("_yoyo_log", "_yoyo_migration", "_yoyo_version", "yoyo_lock")


def create_database(server_url: str, name: str, *, migrated: bool = True) -> str:
    """Database `name` on the server, re-created (migrated unless told not); returns its URI."""
    import psycopg
    from psycopg import sql

    database = sql.Identifier(name)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(database))
    url = with_database(server_url, name)
    if migrated:
        from migrator.apply import apply_migrations

        apply_migrations(url)
    return url


def drop_database(server_url: str, name: str) -> None:
    """Drop database `name`, closing whatever connections still use it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextmanager
def throwaway_database(
    server_url: str, *, migrated: bool = True, prefix: str = "scratch"
) -> Iterator[str]:
    """A new database on the server (migrated, or empty), dropped afterwards; yields its URI.

    Its name is unique per call, so that concurrent runs on one server never share one.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        yield create_database(server_url, name, migrated=migrated)
    finally:
        drop_database(server_url, name)


def empty_tables(conn: psycopg.Connection[Any]) -> None:
    """Empty every table of the public schema but the migrations' own, sequences restarted."""
    from psycopg import sql

    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL(%s)",
        [list(MIGRATION_TABLES)],
    ).fetchall()
    if tables:
        names = sql.SQL(", ").join(sql.Identifier(name) for (name,) in tables)
        conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))


@dataclass(frozen=True)
class EmulatedS3:
    """A running moto server: its URL, the environment that reaches it, a client for it."""

    url: str

    @property
    def environment(self) -> dict[str, str]:
        """Fake credentials and the endpoint variables boto3 reads (S3 and SQS)."""
        return {**FAKE_AWS, "AWS_ENDPOINT_URL_S3": self.url, "AWS_ENDPOINT_URL_SQS": self.url}

    def client(self) -> S3Client:
        """An S3 client for it, whatever credentials the environment holds."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=FAKE_AWS["AWS_DEFAULT_REGION"],
            aws_access_key_id=FAKE_AWS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_AWS["AWS_SECRET_ACCESS_KEY"],
        )


@contextmanager
def emulated_s3() -> Iterator[EmulatedS3]:
    """moto's server (S3 and SQS, in memory) on a free loopback port, stopped afterwards."""
    from localcloud.emulator import MotoEndpoint

    moto = MotoEndpoint(0)
    try:
        yield EmulatedS3(moto.url)
    finally:
        moto.stop()
