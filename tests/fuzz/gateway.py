"""The local API gateway serving sample_api over real HTTP on 127.0.0.1, in this process."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from localcloud.functions import FunctionHost
from localcloud.gateway import GatewayServer

if TYPE_CHECKING:
    from collections.abc import Iterator

SRC = Path(__file__).resolve().parents[2] / "src"


@contextmanager
def serve_api(database_url: str, **extra_env: str) -> Iterator[str]:
    """The gateway's base URL, sample_api on `database_url` (and `extra_env`), until exit."""
    env = {
        "DATABASE_URL": database_url,
        "POWERTOOLS_SERVICE_NAME": "sample_api",
        "AWS_LAMBDA_FUNCTION_NAME": "sample_api",
        **extra_env,
    }
    host = FunctionHost("sample_api", "sample_api.index.handler", (), env, 29.0)
    with GatewayServer(host) as server:
        try:
            yield server.url
        finally:
            host.unload()
