"""A tiny Debug Adapter Protocol client: what an editor sends debugpy, over a socket or pipes.

DAP messages are JSON with a `Content-Length` header, as in the Language Server Protocol
(microsoft.github.io/debug-adapter-protocol/overview). Only what the debugger tests need:
requests and their responses, events, and the sequence an editor runs to start a session.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

TIMEOUT = 60.0  # generous: the suite shares two cores with other test workers


class DapError(AssertionError):
    """The adapter refused a request, closed, or an awaited message never came."""


class Dap:
    """One connection to a debug adapter: send requests, await responses and events."""

    def __init__(self, reader: IO[bytes], writer: IO[bytes], closing: Callable[[], None]) -> None:
        self._reader, self._writer, self._closing = reader, writer, closing
        self._seq = 0
        self._sending = threading.Lock()
        self._messages: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read, daemon=True, name="dap-reader").start()

    @classmethod
    def connect(cls, host: str, port: int) -> Dap:
        sock = socket.create_connection((host, port), timeout=TIMEOUT)
        sock.settimeout(None)
        stream = sock.makefile("rwb", buffering=0)

        def close() -> None:
            # The reader's file keeps the socket open after sock.close(): end the connection.
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the other side closed it already
            sock.close()

        return cls(stream, stream, close)

    def close(self) -> None:
        self._closing()

    def send(self, command: str, arguments: dict[str, Any] | None = None) -> int:
        """Send a request; its sequence number, to await its response with `response`."""
        with self._sending:
            self._seq += 1
            body = {"seq": self._seq, "type": "request", "command": command}
            if arguments is not None:
                body["arguments"] = arguments
            data = json.dumps(body).encode()
            self._writer.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
            self._writer.flush()
            return self._seq

    def request(self, command: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a request and return the body of its successful response."""
        return self.response(self.send(command, arguments))

    def response(self, seq: int, timeout: float = TIMEOUT) -> dict[str, Any]:
        message = self._await(
            lambda m: m["type"] == "response" and m["request_seq"] == seq, timeout, f"#{seq}"
        )
        if not message["success"]:
            raise DapError(f"{message['command']} refused: {message.get('message')}")
        body: dict[str, Any] = message.get("body") or {}
        return body

    def event(
        self,
        name: str,
        where: Callable[[dict[str, Any]], bool] = lambda body: True,
        timeout: float | None = TIMEOUT,
    ) -> dict[str, Any]:
        """The body of the first `name` event (received so far or later) that `where` accepts."""
        message = self._await(
            lambda m: m["type"] == "event" and m["event"] == name and where(m.get("body") or {}),
            timeout,
            f"event {name!r}",
        )
        body: dict[str, Any] = message.get("body") or {}
        return body

    def events_so_far(self, name: str) -> list[dict[str, Any]]:
        """The bodies of the `name` events received until now, claimed."""
        with self._changed:
            found = [m for m in self._messages if m["type"] == "event" and m["event"] == name]
            for message in found:
                self._messages.remove(message)
        return [message.get("body") or {} for message in found]

    def start(self, command: str, arguments: dict[str, Any], breakpoints: dict[str, int]) -> None:
        """What an editor does to begin a session: `attach` or `launch`, with breakpoints set
        between the adapter's `initialized` event and `configurationDone`."""
        self.request(
            "initialize",
            {
                "clientID": "tests",
                "adapterID": "debugpy",
                "pathFormat": "path",
                "linesStartAt1": True,
                "columnsStartAt1": True,
            },
        )
        started = self.send(command, arguments)  # answered once configurationDone is
        self.event("initialized")
        for path, line in breakpoints.items():
            body = self.request(
                "setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": line}]}
            )
            if not all(point.get("verified", True) for point in body["breakpoints"]):
                raise DapError(f"breakpoint at {path}:{line} not accepted: {body}")
        self.request("setExceptionBreakpoints", {"filters": []})
        self.request("configurationDone")
        self.response(started)

    def stopped_at(self, timeout: float | None = TIMEOUT) -> tuple[int, str, int]:
        """Wait for a breakpoint hit: its thread, and the file and line of the top frame."""
        stopped = self.event("stopped", lambda body: body.get("reason") == "breakpoint", timeout)
        thread = stopped["threadId"]
        frames = self.request("stackTrace", {"threadId": thread, "levels": 1})["stackFrames"]
        top = frames[0]
        return thread, top["source"]["path"], top["line"]

    def _await(
        self, match: Callable[[dict[str, Any]], bool], timeout: float | None, what: str
    ) -> Any:
        """The first message `match` accepts; None waits until the connection closes."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self._messages:
                    if match(message):
                        self._messages.remove(message)
                        return message
                left = None if deadline is None else deadline - time.monotonic()
                if self._closed or (left is not None and left <= 0):
                    seen = [m.get("event") or m.get("command") for m in self._messages]
                    state = "closed" if self._closed else f"{timeout:.0f} s passed"
                    raise DapError(f"no {what}: the adapter {state}; unclaimed: {seen}")
                self._changed.wait(left)

    def _read(self) -> None:
        try:
            while (message := self._read_one()) is not None:
                with self._changed:
                    self._messages.append(message)
                    self._changed.notify_all()
        except (OSError, ValueError):
            pass
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _read_one(self) -> dict[str, Any] | None:
        length = None
        while True:
            line = self._reader.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if length is None:
            raise ValueError("a DAP message without Content-Length")
        data = b""
        while len(data) < length:
            chunk = self._reader.read(length - len(data))
            if not chunk:
                return None
            data += chunk
        message: dict[str, Any] = json.loads(data)
        return message


class Editor:
    """What VS Code does once attached to a debugpy that listens: a session with the process,
    and one more with each subprocess debugpy announces, all with the same breakpoints.

    A subprocess announced to a client waits for that client to attach before it runs on: a
    client that ignored the announcement would leave it blocked (the importer's process, here).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.sessions: list[Dap] = []
        self.hits: queue.Queue[tuple[Dap, int, str, int]] = queue.Queue()  # session, thread, at

    def attach(self, arguments: dict[str, Any], breakpoints: dict[str, int]) -> None:
        """Attach to the process and to every subprocess known by then; follow the later ones."""
        main = self._session(arguments, breakpoints)
        main.request("threads")  # answered after the adapter announced the known subprocesses
        for announced in main.events_so_far("debugpyAttach"):
            self._session(announced, breakpoints)

        def follow() -> None:
            try:
                while True:
                    self._session(main.event("debugpyAttach", timeout=None), breakpoints)
            except (DapError, OSError):
                pass  # closed

        threading.Thread(target=follow, daemon=True, name="dap-subprocesses").start()

    def close(self) -> None:
        """Detach from everything, leaving the processes running."""
        for session in reversed(self.sessions):
            try:
                session.request("disconnect", {"terminateDebuggee": False})
            except (DapError, OSError):
                pass  # that process has gone already
            finally:
                session.close()

    def _session(self, arguments: dict[str, Any], breakpoints: dict[str, int]) -> Dap:
        connect = arguments.get("connect") or {}
        session = Dap.connect(connect.get("host", self.host), connect.get("port", self.port))
        self.sessions.append(session)
        session.start("attach", arguments, breakpoints)

        def watch() -> None:
            try:
                while True:
                    self.hits.put((session, *session.stopped_at(timeout=None)))
            except (DapError, OSError):
                pass  # closed

        threading.Thread(target=watch, daemon=True, name="dap-stops").start()
        return session
