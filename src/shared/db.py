"""One PostgreSQL connection per execution environment: lazy, reused, checked, reopened once.

Never `with psycopg.connect()` in function code: leaving the block closes the connection,
and the next warm invocation would pay for a new one.
"""

from __future__ import annotations

import select
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.pq import TransactionStatus

from shared.conninfo import conninfo
from shared.errors import DatabaseUnavailableError
from shared.metrics import record_reconnect
from shared.settings import Settings, get_settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_connection: psycopg.Connection[Any] | None = None
_AUTH_FAILED_SQLSTATES = frozenset({"28P01", "28000"})


def get_connection() -> psycopg.Connection[Any]:
    """The environment's connection, opened on first use and reopened if the server dropped it."""
    global _connection
    if _connection is not None and _is_usable(_connection):
        return _connection
    if _connection is not None:
        record_reconnect()
    close()
    _connection = _open(get_settings())
    return _connection


def run_read[T](read: Callable[[], T]) -> T:
    """Run `read` (which calls get_connection); once more if the reused connection was dead.

    The check before reuse looks at the socket without a round trip, so a session the server
    ended an instant ago (pg_terminate_backend, a failover, a proxy recycling connections)
    still looks alive, and the first query on it fails. Running a read again is safe; a
    write is never run again, since the lost connection may have committed it (README).
    """
    reused = _connection
    try:
        return read()
    except (psycopg.OperationalError, DatabaseUnavailableError):
        if reused is None or _connection is not reused or not reused.broken:
            raise  # a new connection failing, or the server refusing the query: no retry
    return read()  # get_connection() sees the broken one, counts it and opens a new one


@contextmanager
def database_errors() -> Iterator[None]:
    """psycopg's connection-level failures as DatabaseUnavailableError: a retry may succeed."""
    try:
        yield
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailableError("the database failed") from exc


def close() -> None:
    """Close the environment's connection, if any (tests and shutdown hooks)."""
    global _connection
    if _connection is not None:
        _connection.close()
        _connection = None


def _is_usable(conn: psycopg.Connection[Any]) -> bool:
    if conn.closed or conn.broken or conn.info.transaction_status != TransactionStatus.IDLE:
        return False
    # An idle connection has nothing to read. Data or EOF on its socket means the server
    # ended the session (restart, failover, idle timeout): no round trip needed to notice.
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    return not readable


def _open(settings: Settings) -> psycopg.Connection[Any]:
    try:
        return _connect(settings, refresh_secret=False)
    except psycopg.OperationalError as exc:
        if settings.db_secret_arn is not None and _is_auth_failure(exc):
            # The password was rotated since the secret was cached: fetch it again, once.
            try:
                return _connect(settings, refresh_secret=True)
            except psycopg.OperationalError as retry_exc:
                raise DatabaseUnavailableError("cannot connect to the database") from retry_exc
        raise DatabaseUnavailableError("cannot connect to the database") from exc


def _is_auth_failure(exc: psycopg.OperationalError) -> bool:
    return exc.sqlstate in _AUTH_FAILED_SQLSTATES or "authentication failed" in str(exc)


def _connect(settings: Settings, *, refresh_secret: bool) -> psycopg.Connection[Any]:
    return psycopg.Connection.connect(
        conninfo(settings, refresh_secret=refresh_secret),
        autocommit=True,
        prepare_threshold=None,  # RDS Proxy pins sessions that use prepared statements
    )
