"""Swagger UI at /docs, from the assets of the swagger-ui-bundle package: works offline."""

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
SPEC_URL = "/openapi.json"  # served by sample_api itself, through the gateway

_INDEX = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>sample_api - Swagger UI</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "%s",
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    });
  </script>
</body>
</html>
"""


@cache
def assets_dir() -> Path:
    """The folder of Swagger UI's files inside the installed package."""
    from swagger_ui_bundle import swagger_ui_path

    return Path(swagger_ui_path)


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
    asset = (assets_dir() / name).resolve()
    if asset.parent != assets_dir().resolve() or not asset.is_file():
        return Response("not found", status=404, content_type="text/plain")
    content_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    response = Response(asset.read_bytes(), content_type=content_type)
    response.headers["Cache-Control"] = "max-age=3600"
    return response
