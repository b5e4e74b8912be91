"""Drill: the S3 connection is cut mid-stream; the import rolls back and the retry completes.

The cut is real: the function's S3 client talks to a small HTTP relay in front of moto that
sends the object's headers and only part of its body, then closes the socket.
"""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from sample_event.errors import StorageUnavailableError
from tests.sample_event.conftest import s3_event

if TYPE_CHECKING:
    from collections.abc import Iterator

ROWS = 40_000  # ~1.4 MB: more than one 1 MiB read, so rows are staged before the cut
BODY = ("name,email\n" + "".join(f"User {n},user.{n}@example.com\n" for n in range(ROWS))).encode()
CUT_AFTER = 1_200_000
_HOP_BY_HOP = {"connection", "transfer-encoding", "keep-alive", "content-length"}


class CuttingRelay(ThreadingHTTPServer):
    """Relays requests to moto; while `cuts` > 0, a GET of an imports/ object is cut short."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Relay)
        self.upstream = urlsplit(upstream)
        self.cuts = 0
        self.cut_done = 0


class _Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CuttingRelay

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection(
            self.server.upstream.hostname or "", self.server.upstream.port, timeout=30
        )
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream.request(self.command, self.path, body, headers)
        answer = upstream.getresponse()
        payload = answer.read()
        upstream.close()
        cut = self.command == "GET" and "/imports/" in self.path and self.server.cuts > 0
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if cut:
            self.server.cuts -= 1
            self.server.cut_done += 1
            self.wfile.write(payload[:CUT_AFTER])
            self.wfile.flush()
            self.close_connection = True  # the socket closes with the body unfinished
            return
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _relay


@pytest.fixture
def relay(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CuttingRelay]:
    """The function's S3 endpoint is the relay (a fresh client, as at a cold start)."""
    from sample_event.aws import s3

    server = CuttingRelay(s3_endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{server.server_port}")
    s3.get_client.cache_clear()
    yield server
    s3.get_client.cache_clear()
    server.shutdown()
    server.server_close()


def test_s3_read_cut_mid_stream_rolls_back_and_the_retry_completes(
    relay: CuttingRelay,
    s3_client: Any,
    bucket: str,
    db: Any,
    lambda_context: Any,
    fresh_function_connection: None,
) -> None:
    from sample_event.index import handler

    put = s3_client.put_object(Bucket=bucket, Key="imports/cut.csv", Body=BODY)
    event = s3_event(bucket, "imports/cut.csv", put["VersionId"], put["ETag"].strip('"'))
    # GIVEN a network that cuts the object's body after 1.2 MB
    relay.cuts = 1
    # WHEN the function runs, THEN it raises so that Lambda retries
    with pytest.raises(StorageUnavailableError):
        handler(event, lambda_context("sample_event", 60))
    assert relay.cut_done == 1
    # AND the transaction rolled back: no user, the claim released, no report
    assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)
    row = db.execute("SELECT status, claimed_until <= now(), error FROM imports").fetchone()
    assert row[:2] == ("in_progress", True)
    assert row[2].startswith("retrying after")
    assert s3_client.list_objects_v2(Bucket=bucket, Prefix="reports/").get("KeyCount") == 0
    # WHEN Lambda retries with the network healthy, THEN the state is that of one clean run
    result = handler(event, lambda_context("sample_event", 60))
    assert result["imports"][0]["status"] == "completed"
    assert db.execute("SELECT count(*), count(DISTINCT lower(email)) FROM users").fetchone() == (
        ROWS,
        ROWS,
    )
    row = db.execute("SELECT status, attempts, rows_read, inserted FROM imports").fetchone()
    assert row == ("completed", 2, ROWS, ROWS)
    report = s3_client.get_object(Bucket=bucket, Key="reports/cut.csv.json")["Body"].read()
    assert json.loads(report)["inserted"] == ROWS
