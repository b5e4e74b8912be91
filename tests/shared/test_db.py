"""The shared connection module against a real PostgreSQL."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from shared import db as function_db
from shared.errors import DatabaseUnavailableError, SettingsError
from shared.settings import load_settings


def test_connection_is_reused_across_calls(fresh_function_connection: None) -> None:
    first = function_db.get_connection()
    assert function_db.get_connection() is first


def test_connection_is_autocommit_without_prepared_statements(
    fresh_function_connection: None,
) -> None:
    conn = function_db.get_connection()
    assert conn.autocommit is True
    assert conn.prepare_threshold is None


def test_connection_reopens_after_backend_is_terminated(
    fresh_function_connection: None, db: psycopg.Connection[Any]
) -> None:
    # GIVEN a warm connection
    first = function_db.get_connection()
    pid = first.info.backend_pid
    # WHEN the server ends its session
    db.execute("SELECT pg_terminate_backend(%s)", [pid])
    db.execute("SELECT pg_sleep(0.05)")
    # THEN the next use gets a new, working session
    second = function_db.get_connection()
    assert second.info.backend_pid != pid
    assert second.execute("SELECT 1").fetchone() == (1,)


def test_read_refused_by_a_live_server_is_not_run_again(
    fresh_function_connection: None,
) -> None:
    # GIVEN a warm connection, and a read the server cancels (its statement timeout)
    function_db.get_connection()
    calls = []

    def read() -> None:
        calls.append(1)
        conn = function_db.get_connection()
        with conn.transaction():
            conn.execute("SET LOCAL statement_timeout = 10")
            conn.execute("SELECT pg_sleep(1)")

    # WHEN it runs, THEN the failure is not a dead connection: it is raised, not run again
    with pytest.raises(psycopg.errors.QueryCanceled):
        function_db.run_read(read)
    assert calls == [1]


def test_unreachable_server_raises_database_unavailable(
    fresh_function_connection: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@/postgres?host={tmp_path}")
    with pytest.raises(DatabaseUnavailableError):
        function_db.get_connection()


def test_settings_name_the_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DB_SECRET_ARN", raising=False)
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        load_settings()


def test_settings_name_the_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@/y")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "soon")
    with pytest.raises(SettingsError, match="DB_CONNECT_TIMEOUT"):
        load_settings()
