"""SnapStart hooks: what the snapshot keeps warm, and what a restored environment must not reuse.

With SnapStart (docs/deploy.md) Lambda runs the init once per published version, snapshots
the process, and starts every environment of that version from a copy of it. Before the
snapshot: answer one bad request per route through the resolver (its middleware stacks, the
routes' parameter readers, POST's model with pydantic, the error table), and write the
OpenAPI document; none reaches the database. Not the decorated handler: Powertools would log
and count a cold start there, and every restored environment would inherit it as done. Then
close the database connection and drop cached credentials: a snapshot keeps no socket and
no password. After a restore: reseed `random` (each copy would draw the same numbers), and
the connection opens on first use, as in a cold start.

snapshot_restore_py comes with Lambda's Python runtime (a dev dependency here, for tests);
where it is missing the hooks are not registered, and nothing else changes.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from shared import db, secrets

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver

# (method, path, query, body): each refused with a 422 by params.parsed, before any query.
WARM_REQUESTS = (
    ("GET", "/users", {"limit": "0", "cursor": "!"}, None),
    ("GET", "/users/0", None, None),
    ("POST", "/users", None, "{}"),
)


def register(app: APIGatewayRestResolver, document: Callable[[], str]) -> bool:
    """Register the hooks with Lambda's runtime; False where it is not there to run them."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(before_snapshot, app, document)
    register_after_restore(after_restore)
    return True


def before_snapshot(app: APIGatewayRestResolver, document: Callable[[], str]) -> None:
    """Warm what first requests need, then leave no connection or credential in memory."""
    for method, path, query, body in WARM_REQUESTS:
        answer = app.resolve(_event(method, path, query, body), None)  # type: ignore[arg-type]
        if answer["statusCode"] != 422:  # it reached further than parameters: fix the list
            raise RuntimeError(f"warming {method} {path}: {answer['statusCode']}, expected 422")
    document()
    db.close()
    secrets.forget()


def after_restore() -> None:
    """Nothing stale: a fresh random state, and no connection until the first request."""
    random = sys.modules.get("random")
    if random is not None:
        random.seed()  # from os.urandom, which the kernel reseeds after a restore
    db.close()


def _event(method: str, path: str, query: dict[str, str] | None, body: str | None) -> Any:
    return {
        "httpMethod": method,
        "path": path,
        "headers": {"Content-Type": "application/json"} if body is not None else {},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "body": body,
        "isBase64Encoded": False,
        "requestContext": {"requestId": "snapstart-warm-up", "path": path},
    }
