"""A tiny HTTP client for the drills: status, headers, JSON body and how long it took."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One HTTP exchange with the gateway."""

    status: int
    headers: dict[str, str]
    body: Any
    seconds: float


def call(base_url: str, method: str, path: str, body: Any = None) -> Answer:
    """Send one request to the local gateway (127.0.0.1 only) and read the whole answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is the local gateway's)
        base_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status, headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, dict(error.headers), error.read()
    seconds = time.perf_counter() - start
    return Answer(status, headers, json.loads(raw) if raw else None, seconds)
