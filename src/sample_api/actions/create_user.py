"""POST /users: register a validated NewUser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sample_api.actions.shapes import user_body
from sample_api.services import users as users_service
from shared.log import get_logger
from shared.metrics import MetricUnit, get_metrics

if TYPE_CHECKING:
    import psycopg

    from shared.models import NewUser


def create_user(conn: psycopg.Connection[Any], new_user: NewUser) -> dict[str, Any]:
    """The created user as JSON; raises EmailTakenError."""
    user = users_service.register(conn, name=new_user.name, email=new_user.email)
    get_logger().info("user created", extra={"user_id": user.id})
    get_metrics().add_metric(name="UsersCreated", unit=MetricUnit.Count, value=1)
    return user_body(user)
