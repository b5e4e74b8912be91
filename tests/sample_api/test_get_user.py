"""GET /users/{id}: one user, 404 for an unknown id, 422 for an id that is not one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pydantic import TypeAdapter

from sample_api.schemas import UserOut
from tests.sample_api.conftest import Invoke, add_users

if TYPE_CHECKING:
    import psycopg


def test_get_user_returns_the_user(api: Invoke, db: psycopg.Connection[Any]) -> None:
    [user_id] = add_users(db, 1)
    reply = api("get_user", path=f"/users/{user_id}")
    assert reply.status == 200
    user = TypeAdapter(UserOut).validate_python(reply.body)
    assert (user.id, user.name, user.email) == (user_id, "User 1", "user1@example.com")
    assert reply.headers["Cache-Control"] == "no-store"


def test_get_user_answers_404_for_an_unknown_id(api: Invoke, db: psycopg.Connection[Any]) -> None:
    add_users(db, 1)
    reply = api("get_user", path="/users/2")
    assert reply.status == 404
    assert reply.body == {"message": "user not found"}


@pytest.mark.parametrize(
    "user_id",
    ["abc", "1.5", "0", "-3", "9223372036854775808", "%00", "1e3", "1_0", "+1", " 1", "١٢"],
)
def test_get_user_rejects_a_non_id_naming_the_field(api: Invoke, user_id: str) -> None:
    reply = api("get_user", path=f"/users/{user_id}")
    assert reply.status == 422
    assert [error["field"] for error in reply.body["errors"]] == ["path.user_id"]


def test_get_user_accepts_the_largest_id(api: Invoke) -> None:
    assert api("get_user", path="/users/9223372036854775807").status == 404
