"""The local gateway serving the API over HTTP on 127.0.0.1, against the worker's database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.fuzz.gateway import serve_api

if TYPE_CHECKING:
    from collections.abc import Iterator

    import psycopg


@pytest.fixture
def api_url(database_url: str, db: psycopg.Connection[Any]) -> Iterator[str]:
    """Base URL of a gateway whose API function starts cold, on an emptied database."""
    with serve_api(database_url) as url:
        yield url
