"""GET /users: keyset pages in id order behind an opaque cursor."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import TypeAdapter

from sample_api.schemas import UserPage
from tests.sample_api.conftest import Invoke, add_users, count_users

if TYPE_CHECKING:
    import psycopg


def test_list_users_on_empty_table_returns_no_items_and_no_cursor(api: Invoke) -> None:
    reply = api("get_users")
    assert reply.status == 200
    assert reply.body == {"items": [], "next_cursor": None}


def test_list_users_returns_users_in_id_order_matching_the_documented_model(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    ids = add_users(db, 3)
    reply = api("get_users")
    page = TypeAdapter(UserPage).validate_python(reply.body)
    assert [user.id for user in page.items] == ids
    assert page.items[0].created_at.tzinfo is not None
    assert reply.body["items"][0]["created_at"].endswith("Z")


def test_list_users_is_not_cached(api: Invoke) -> None:
    assert api("get_users").headers["Cache-Control"] == "no-store"


def test_list_users_defaults_to_twenty_items(api: Invoke, db: psycopg.Connection[Any]) -> None:
    add_users(db, 25)
    reply = api("get_users", query={})
    assert len(reply.body["items"]) == 20
    assert reply.body["next_cursor"] is not None


def test_following_cursors_visits_every_user_once(api: Invoke, db: psycopg.Connection[Any]) -> None:
    # GIVEN 7 users
    ids = add_users(db, 7)
    # WHEN pages of 3 are followed to the end
    seen: list[int] = []
    query = {"limit": "3"}
    for _ in range(10):
        body = api("get_users", query=query).body
        seen += [user["id"] for user in body["items"]]
        if body["next_cursor"] is None:
            break
        query = {"limit": "3", "cursor": body["next_cursor"]}
    # THEN each user appears once, in order, and the last page says so
    assert seen == ids


def test_next_page_does_not_shift_when_earlier_rows_are_deleted(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    add_users(db, 4)
    first = api("get_users", query={"limit": "2"}).body
    db.execute("DELETE FROM users WHERE id = 1")
    second = api("get_users", query={"limit": "2", "cursor": first["next_cursor"]}).body
    assert [user["id"] for user in second["items"]] == [3, 4]


def test_last_full_page_has_no_next_cursor(api: Invoke, db: psycopg.Connection[Any]) -> None:
    add_users(db, 2)
    assert api("get_users", query={"limit": "2"}).body["next_cursor"] is None


@pytest.mark.parametrize(
    "limit", ["0", "101", "-1", "ten", "1.5", "", "1_0", " 5", "١٢", "9" * 5000]
)
def test_list_users_rejects_bad_limit_naming_the_field(api: Invoke, limit: str) -> None:
    reply = api("get_users", query={"limit": limit})
    assert reply.status == 422
    assert [error["field"] for error in reply.body["errors"]] == ["query.limit"]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "x",
        _b64(b"[1]"),
        _b64(b'{"after": true}'),
        _b64(b'{"after": -1}'),
        _b64(b'{"after": "1"}'),
        _b64(b'{"after": 99999999999999999999}'),
        "AAAAAAAAAAB",  # a second spelling of id 0 (non-zero trailing bits)
        "gAAAAAAAAAA",  # 2**63: above any bigint id
        "AAAAAAAAAA",
        "AAAAAAAAAAAA",
        "AAAAAAAAAAA\n",
        "AAAAAAAAAA=",
        "\x00",
        "é" * 10,
    ],
)
def test_list_users_rejects_a_cursor_it_did_not_issue(
    api: Invoke, db: psycopg.Connection[Any], cursor: str
) -> None:
    add_users(db, 1)
    reply = api("get_users", query={"cursor": cursor})
    # The document's pattern describes every cursor exactly: validation refuses the rest.
    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == "query.cursor"
    assert count_users(db) == 1


def test_list_users_rejects_an_overlong_cursor(api: Invoke) -> None:
    reply = api("get_users", query={"cursor": "A" * 500})
    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == "query.cursor"
