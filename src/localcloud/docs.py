"""Swagger UI at /docs, from the assets Powertools ships (Swagger UI 5): works offline.

Swagger UI 5 is needed to render the OpenAPI 3.1 document Powertools generates; the
assets come with aws-lambda-powertools, a dependency the API has anyway.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

PREFIX = "/docs"
SPEC_URL = "/openapi.json"  # served by the API function itself, through the gateway
ASSETS = ("swagger-ui-bundle.min.js", "swagger-ui.min.css")

_INDEX = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API - Swagger UI</title>
  <link rel="stylesheet" href="swagger-ui.min.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.min.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "%s",
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout"
    });
  </script>
</body>
</html>
"""


@cache
def assets_dir() -> Path:
    """The folder of Swagger UI's files inside the installed Powertools package."""
    from aws_lambda_powertools.event_handler.openapi import swagger_ui

    return Path(swagger_ui.__file__).parent


def serve(request: Request) -> Response | None:
    """The response for a /docs path, or None when the path is the API's."""
    path = request.path
    if path == PREFIX:
        return redirect(PREFIX + "/", code=301)
    if not path.startswith(PREFIX + "/") or request.method not in ("GET", "HEAD"):
        return None
    name = path.removeprefix(PREFIX + "/")
    if name in ("", "index.html"):
        return Response(_INDEX % SPEC_URL, content_type="text/html; charset=utf-8")
    if name not in ASSETS:
        return Response("not found", status=404, content_type="text/plain")
    asset = assets_dir() / name
    content_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    response = Response(asset.read_bytes(), content_type=content_type)
    response.headers["Cache-Control"] = "max-age=3600"
    return response
