"""The JSON shape of a user, as the API returns it."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sample_api.daos.users import User


def user_body(user: User) -> dict[str, Any]:
    """A user as a JSON-ready dict; created_at in RFC 3339, UTC."""
    created_at = user.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return {"id": user.id, "name": user.name, "email": user.email, "created_at": created_at}
