"""The local API Gateway: HTTP on 127.0.0.1 -> proxy event -> the path's function, in-process."""

from __future__ import annotations

import logging
import threading
import traceback
from typing import TYPE_CHECKING, Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from localcloud import apigw, console, docs

if TYPE_CHECKING:
    from collections.abc import Iterable
    from wsgiref.types import StartResponse, WSGIEnvironment

    from werkzeug.serving import BaseWSGIServer

    from localcloud.routes import Routes

# API Gateway refuses payloads over 10 MB; the function itself answers 413 above its own limit.
MAX_BODY_BYTES = 10 * 1024 * 1024


class _RawHeadersHandler(WSGIRequestHandler):
    """WSGI joins a repeated header into one "a,b" value; API Gateway keeps each value."""

    def make_environ(self) -> WSGIEnvironment:
        environ = super().make_environ()
        environ[apigw.RAW_HEADERS_KEY] = list(self.headers.items())
        return environ


class Gateway:
    """The WSGI application: /docs from the Swagger UI bundle, every other path to its function."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = docs.serve(request) or self._proxy(request)
        return response(environ, start_response)

    def _proxy(self, request: Request) -> Response:
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return apigw.error_response(413, "Request Too Long")
        raw = request.get_data(cache=False)
        if len(raw) > MAX_BODY_BYTES:  # chunked bodies carry no Content-Length
            return apigw.error_response(413, "Request Too Long")
        match = self.routes.match(request.path)
        if match is None:  # what a REST API answers for a path no resource matches
            return apigw.error_response(403, "Missing Authentication Token")
        event = apigw.to_event(request, raw, match.resource, match.path_parameters)
        function = match.function
        invocation = function.invoke(event)
        label = f"{request.method} {request.full_path.rstrip('?')}"
        if invocation.error is not None:
            console.invocation_line(function.name, label, "crashed", invocation)
            console.say("".join(traceback.format_exception(invocation.error)).rstrip())
            return apigw.error_response(502, "Internal server error")
        response = apigw.to_response(invocation.result)
        console.invocation_line(function.name, label, str(response.status_code), invocation)
        return response


class GatewayServer:
    """The gateway served by werkzeug's threaded server on a thread of its own."""

    def __init__(self, routes: Routes, host: str = "127.0.0.1", port: int = 0) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per call is ours
        self._server: BaseWSGIServer = make_server(
            host, port, Gateway(routes), threaded=True, request_handler=_RawHeadersHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="gateway"
        )
        self._thread.daemon = True

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> GatewayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> GatewayServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
