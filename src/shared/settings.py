"""The only reader of os.environ: a frozen, typed object built once per execution environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from shared.errors import SettingsError

_LOG_LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
DEFAULT_METRICS_NAMESPACE = "ServerlessBackend"


@dataclass(frozen=True, slots=True)
class Settings:
    """Configuration of one function; docs/configuration.md describes each variable."""

    service_name: str
    database_url: str | None
    db_secret_arn: str | None
    db_host: str | None
    db_port: int
    db_name: str
    log_level: str
    metrics_namespace: str
    db_connect_timeout: int
    db_statement_timeout_ms: int
    function_memory_mb: int  # Lambda's AWS_LAMBDA_FUNCTION_MEMORY_SIZE; 0 outside Lambda


def _int_var(name: str, default: int, *, low: int, high: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def load_settings() -> Settings:
    """Read and validate the environment; raises SettingsError naming the variable at fault."""
    database_url = os.environ.get("DATABASE_URL") or None
    db_secret_arn = os.environ.get("DB_SECRET_ARN") or None
    if database_url is None and db_secret_arn is None:
        raise SettingsError(
            "set DATABASE_URL (a libpq URI) or DB_SECRET_ARN (a Secrets Manager ARN)"
        )
    if database_url is not None and not database_url.startswith(("postgresql://", "postgres://")):
        raise SettingsError("DATABASE_URL must be a postgresql:// URI")
    if db_secret_arn is not None and not db_secret_arn.startswith("arn:"):
        raise SettingsError("DB_SECRET_ARN must be an ARN (arn:aws:secretsmanager:...)")
    # Powertools' own order: POWERTOOLS_LOG_LEVEL, then its legacy LOG_LEVEL, then INFO (and
    # Lambda's AWS_LAMBDA_LOG_LEVEL above all, which the Logger applies itself).
    level_variable = (
        "POWERTOOLS_LOG_LEVEL" if os.environ.get("POWERTOOLS_LOG_LEVEL") else "LOG_LEVEL"
    )
    log_level = (os.environ.get(level_variable) or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise SettingsError(
            f"{level_variable} must be one of {sorted(_LOG_LEVELS)}, got {log_level!r}"
        )
    return Settings(
        service_name=os.environ.get("POWERTOOLS_SERVICE_NAME")
        or os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local"),
        database_url=database_url,
        db_secret_arn=db_secret_arn,
        # The RDS-managed secret holds only username and password: the address comes from here.
        db_host=os.environ.get("DB_HOST") or None,
        db_port=_int_var("DB_PORT", 5432, low=1, high=65535),
        db_name=os.environ.get("DB_NAME", "postgres"),
        log_level=log_level,
        metrics_namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE")
        or DEFAULT_METRICS_NAMESPACE,
        db_connect_timeout=_int_var("DB_CONNECT_TIMEOUT", 3, low=1, high=60),
        db_statement_timeout_ms=_int_var("DB_STATEMENT_TIMEOUT_MS", 5000, low=100, high=900_000),
        function_memory_mb=_int_var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", 0, low=0, high=10_240),
    )


@cache
def get_settings() -> Settings:
    """The settings of this execution environment, read on first use."""
    return load_settings()
