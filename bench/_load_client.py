"""A bounded HTTP load client: N threads, each with one keep-alive connection, for S seconds.

Closed loop: each thread sends its next request when the previous answer is read, so the
concurrency is the number of requests in flight. The mix is GET /users (list), GET /users/{id}
of a user known to exist, and POST /users with a unique email. Every status other than the
one expected (200, 200, 201) counts as an error, as does a dropped connection.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_THREADS = 64
MAX_SECONDS = 600.0
REQUEST_TIMEOUT = 30.0
# Of every 10 requests: 5 lists, 3 reads of one user, 2 creations.
MIX = ("list",) * 5 + ("one",) * 3 + ("post",) * 2


@dataclass(frozen=True)
class Sample:
    """One request: when it started (seconds since the run began), how long, and its outcome."""

    start: float
    latency: float
    kind: str
    ok: bool


@dataclass
class Known:
    """Ids of users that exist, shared by the threads (POSTs add to it)."""

    ids: list[int]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, rng: random.Random) -> int:
        with self.lock:
            return rng.choice(self.ids)

    def add(self, user_id: int) -> None:
        with self.lock:
            self.ids.append(user_id)


def _request(conn: http.client.HTTPConnection, kind: str, known: Known, rng: random.Random) -> bool:
    if kind == "list":
        conn.request("GET", "/users?limit=20")
        expected = 200
    elif kind == "one":
        conn.request("GET", f"/users/{known.pick(rng)}")
        expected = 200
    else:
        body = json.dumps({"name": "Load Test", "email": f"load-{uuid.uuid4().hex}@example.com"})
        conn.request("POST", "/users", body, {"Content-Type": "application/json"})
        expected = 201
    response = conn.getresponse()
    payload = response.read()
    if response.status == 201:
        known.add(int(json.loads(payload)["id"]))
    return response.status == expected


def _worker(known: Known, seed: int, due: float, until: _Until, out: list[Sample]) -> None:
    parts = urlsplit(until.url)
    rng = random.Random(seed)
    kinds = itertools.cycle(rng.sample(MIX, len(MIX)))
    conn = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT
    )
    # Paced: this thread's requests are due every `interval` s, and latency counts from when a
    # request was due, so a server that falls behind is not excused (no coordinated omission).
    try:
        while (now := time.perf_counter()) < until.deadline and not until.stop.is_set():
            if until.interval:
                if due > now:
                    time.sleep(due - now)
                now, due = due, due + until.interval
            kind = next(kinds)
            try:
                ok = _request(conn, kind, known, rng)
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn.close()  # reconnects on the next request
            out.append(Sample(now - until.began, time.perf_counter() - now, kind, ok))
    finally:
        conn.close()


@dataclass(frozen=True)
class _Until:
    url: str
    began: float
    deadline: float
    stop: threading.Event
    interval: float  # seconds between one thread's requests; 0: as fast as answered


def run(
    url: str,
    concurrency: int,
    seconds: float,
    known: Known,
    stop: threading.Event | None = None,
    rate: float | None = None,
    seed: int = 7,
) -> list[Sample]:
    """Load the API at `url` with `concurrency` connections for `seconds` (or until `stop`).

    With `rate`, the threads together send that many requests a second (when the server keeps
    up); without, each sends its next request as soon as the previous one is answered.
    """
    concurrency = max(1, min(concurrency, MAX_THREADS))
    began = time.perf_counter()
    interval = concurrency / rate if rate else 0.0
    deadline = began + min(seconds, MAX_SECONDS)
    until = _Until(url, began, deadline, stop or threading.Event(), interval)
    outputs: list[list[Sample]] = [[] for _ in range(concurrency)]
    threads = [
        threading.Thread(
            target=_worker,
            args=(known, seed + n, began + interval * n / concurrency, until, outputs[n]),
            daemon=True,
        )
        for n in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(until.deadline - began + REQUEST_TIMEOUT + 5)
    return sorted(itertools.chain.from_iterable(outputs), key=lambda sample: sample.start)
