"""Where and how every function connects to PostgreSQL: the one builder of connection strings.

DATABASE_URL (locally, in tests) as given; in AWS, the RDS-managed secret's username and
password at DB_HOST, DB_PORT and DB_NAME, over TLS. Either way, with this function's timeouts
and name. See docs/configuration.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psycopg.conninfo import make_conninfo

from shared.errors import SettingsError

if TYPE_CHECKING:
    from psycopg.abc import ConnParam

    from shared.settings import Settings


def conninfo(settings: Settings, *, refresh_secret: bool = False) -> str:
    """The libpq connection string; `refresh_secret` fetches the secret again (after a rotation)."""
    return make_conninfo(
        settings.database_url or "",
        **_secret_params(settings, refresh=refresh_secret),
        connect_timeout=settings.db_connect_timeout,
        application_name=settings.service_name,
        options=f"-c statement_timeout={settings.db_statement_timeout_ms}",
        keepalives=1,
        keepalives_idle=30,
    )


def _secret_params(settings: Settings, *, refresh: bool) -> dict[str, ConnParam]:
    if settings.db_secret_arn is None:
        return {}
    from shared.secrets import get_db_secret

    secret = get_db_secret(settings.db_secret_arn, refresh=refresh)
    # The RDS-managed secret holds only username and password; other secrets may name more.
    host = secret.get("host") or settings.db_host
    if host is None:
        raise SettingsError("DB_HOST must be set: the database secret names no host")
    return {
        "host": host,
        "port": secret.get("port") or settings.db_port,
        "dbname": secret.get("dbname") or settings.db_name,
        "user": secret["username"],
        "password": secret["password"],
        # RDS refuses unencrypted sessions (rds.force_ssl); over a Unix socket libpq ignores it.
        "sslmode": "require",
    }
