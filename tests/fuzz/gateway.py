"""The local API gateway serving the declared API functions over real HTTP, in this process."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

import stackspec
from localcloud import declared, triggers
from localcloud.gateway import GatewayServer
from localcloud.routes import Routes

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def serve_api(database_url: str, **extra_env: str) -> Iterator[str]:
    """The gateway's base URL, every API function on `database_url` (and `extra_env`), until exit.

    Each function runs with its declared settings, as under `make dev`; `extra_env` overrides
    its variables (DATABASE_URL="" and DB_SECRET_ARN=... reach the database through a secret).
    """
    apis = [function for function in stackspec.functions() if triggers.api_paths(function)]
    with ExitStack() as stack:
        routes = []
        for function in apis:
            env = declared.environment(
                function, database_url=database_url, log_level="INFO", buckets={}
            )
            host = declared.host(function, {**env, **extra_env})
            stack.callback(host.unload)
            routes += [(path, host) for path in triggers.api_paths(function)]
        with GatewayServer(Routes(routes)) as server:
            yield server.url
