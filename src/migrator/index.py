"""The migrations function: applies migrations/ from inside the VPC (`make deploy` invokes it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from migrator.apply import apply_migrations
from shared.errors import SettingsError
from shared.log import get_logger
from shared.settings import Settings, get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = get_logger()


def database_url(settings: Settings) -> str:
    """DATABASE_URL as given, or a URI from the RDS-managed secret and DB_HOST/DB_PORT/DB_NAME."""
    if settings.database_url is not None:
        return settings.database_url
    if settings.db_secret_arn is None or settings.db_host is None:
        raise SettingsError("DB_SECRET_ARN and DB_HOST must be set when DATABASE_URL is not")
    from shared.secrets import get_db_secret

    secret = get_db_secret(settings.db_secret_arn)
    return secret_url(secret, settings)


def secret_url(secret: dict[str, Any], settings: Settings) -> str:
    """The libpq URI for the secret's credentials at the address the settings name."""
    host = str(secret.get("host") or settings.db_host)
    port = int(secret.get("port") or settings.db_port)
    dbname = str(secret.get("dbname") or settings.db_name)
    query = {
        # RDS refuses unencrypted sessions (rds.force_ssl); locally the server is a Unix socket.
        "sslmode": "disable" if host.startswith("/") else "require",
        "connect_timeout": str(settings.db_connect_timeout),
        "options": f"-c statement_timeout={settings.db_statement_timeout_ms}",
    }
    netloc = f"{quote(str(secret['username']), safe='')}:{quote(str(secret['password']), safe='')}"
    if host.startswith("/"):
        query["host"] = host  # a socket directory cannot sit in the URI's host part
        address = f"@:{port}"
    else:
        address = f"@{host}:{port}"
    return f"postgresql://{netloc}{address}/{quote(dbname, safe='')}?{urlencode(query)}"


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Apply what is pending; returns the ids applied. Failures raise, so the deploy stops."""
    applied = apply_migrations(database_url(get_settings()))
    logger.info("migrations applied", extra={"applied": applied, "count": len(applied)})
    return {"applied": applied}
