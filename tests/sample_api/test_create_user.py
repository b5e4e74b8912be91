"""POST /users: 201 with Location; every rejection leaves the table as it was."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import TypeAdapter

from sample_api.schemas import UserOut
from tests.sample_api.conftest import Invoke, count_users

if TYPE_CHECKING:
    import psycopg

ADA = {"name": "Ada Lovelace", "email": "Ada@Example.com"}


def _rows(db: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return db.execute("SELECT id, name, email FROM users ORDER BY id").fetchall()


def test_post_user_creates_the_user_and_points_at_it(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    reply = api("post_user", body=ADA)
    assert reply.status == 201
    user = TypeAdapter(UserOut).validate_python(reply.body)
    assert reply.headers["Location"] == f"/users/{user.id}"
    assert reply.headers["Cache-Control"] == "no-store"
    assert _rows(db) == [(user.id, "Ada Lovelace", "Ada@Example.com")]
    assert api("get_user", path=f"/users/{user.id}").body == reply.body


def test_post_user_trims_the_name_and_stores_the_email_as_given(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    reply = api("post_user", body={"name": "  Grace  ", "email": "GRACE@Example.COM"})
    assert reply.status == 201
    assert _rows(db) == [(1, "Grace", "GRACE@Example.COM")]


def test_post_user_rejects_email_taken_in_other_case(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    api("post_user", body=ADA)
    reply = api("post_user", body={"name": "Someone Else", "email": "ada@EXAMPLE.com"})
    assert reply.status == 409
    assert reply.body["errors"] == [{"field": "body.email", "message": "is already taken"}]
    assert _rows(db) == [(1, "Ada Lovelace", "Ada@Example.com")]


def test_post_user_rejects_malformed_json(api: Invoke, db: psycopg.Connection[Any]) -> None:
    reply = api("post_user", raw_body='{"name": "Ada", "email": ')
    assert reply.status == 400
    assert "JSON" in reply.body["message"]
    assert count_users(db) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@example.com"}, "body.name"),
        ({"name": "Ada"}, "body.email"),
        ({**ADA, "id": 7}, "body.id"),
        ({**ADA, "is_admin": True}, "body.is_admin"),
        ({**ADA, "email": "not-an-email"}, "body.email"),
        ({**ADA, "email": "a@" + "b" * 250 + ".com"}, "body.email"),
        ({**ADA, "email": 42}, "body.email"),
        ({**ADA, "name": "   "}, "body.name"),
        ({**ADA, "name": "x" * 101}, "body.name"),
        ({**ADA, "name": ["Ada"]}, "body.name"),
        ({**ADA, "name": "Ada\x00"}, "body.name"),
        ({**ADA, "name": "Ada\ud800"}, "body.name"),
        ({**ADA, "name": "Ada\x1b[31m"}, "body.name"),
        ({**ADA, "name": "Ada\u0085"}, "body.name"),
        ({**ADA, "email": "ada\x00@example.com"}, "body.email"),
        ({**ADA, "email": "ada@example.com\udfff"}, "body.email"),
    ],
)
def test_post_user_rejects_invalid_fields_naming_them(
    api: Invoke, db: psycopg.Connection[Any], body: dict[str, Any], field: str
) -> None:
    reply = api("post_user", body=body)
    assert reply.status == 422
    assert field in [error["field"] for error in reply.body["errors"]]
    assert all(error["message"] for error in reply.body["errors"])
    assert count_users(db) == 0


@pytest.mark.parametrize("raw_body", ["[]", '"Ada"', "null", "42", "", "[" * 60_000])
def test_post_user_rejects_a_body_that_is_not_an_object(
    api: Invoke, db: psycopg.Connection[Any], raw_body: str
) -> None:
    reply = api("post_user", raw_body=raw_body)
    assert reply.status in (400, 422)
    assert reply.body["message"]
    assert count_users(db) == 0


@pytest.mark.parametrize(
    "body",
    [
        [ADA],
        [ADA, {"name": "Alan Turing", "email": "alan@example.com"}],
        [[ADA]],
        [{"name": "Ada"}, {"email": "ada@example.com"}],
    ],
)
def test_post_user_rejects_an_array_of_users_and_writes_nothing(
    api: Invoke, db: psycopg.Connection[Any], body: list[Any]
) -> None:
    # Powertools unwraps a list into its first element (docs/operations.md): [ADA] was a 201.
    reply = api("post_user", body=body)
    assert reply.status == 422
    assert reply.body["errors"] == [{"field": "body", "message": "must be a JSON object"}]
    assert count_users(db) == 0


@pytest.mark.parametrize(
    ("raw_body", "key"),
    [
        ('{"name": "Ada", "name": "Eve", "email": "ada@example.com"}', "name"),
        ('{"name": "Ada", "email": "ada@example.com", "email": "eve@example.com"}', "email"),
        ('{"name": "Ada", "email": "ada@example.com", "email": "ada@example.com"}', "email"),
    ],
)
def test_post_user_rejects_a_duplicate_key_naming_it(
    api: Invoke, db: psycopg.Connection[Any], raw_body: str, key: str
) -> None:
    # A proxy or an audit log reading the first key must never see another request than ours.
    reply = api("post_user", raw_body=raw_body)
    assert reply.status == 400
    assert reply.body == {
        "message": "request body has a duplicate key",
        "errors": [{"field": f"body.{key}", "message": "appears more than once"}],
    }
    assert count_users(db) == 0


def test_post_user_rejects_a_body_over_64_kib_before_parsing(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    # Not even JSON: the size alone must decide.
    reply = api("post_user", raw_body="{" + " " * 64 * 1024)
    assert reply.status == 413
    assert count_users(db) == 0


def test_post_user_counts_the_limit_in_utf8_bytes(api: Invoke, db: psycopg.Connection[Any]) -> None:
    # 22,000 three-byte characters: under the limit in characters, over it in bytes.
    raw_body = json.dumps({**ADA, "name": "€" * 22_000}, ensure_ascii=False)
    assert len(raw_body) < 64 * 1024 < len(raw_body.encode())
    reply = api("post_user", raw_body=raw_body)
    assert reply.status == 413
    assert count_users(db) == 0


def test_post_user_accepts_a_body_of_exactly_64_kib(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    body = '{"name": "Ada", "email": "ada@example.com"}'
    reply = api("post_user", raw_body=body + " " * (64 * 1024 - len(body)))
    assert reply.status == 201
    assert count_users(db) == 1


def test_post_user_rejects_a_body_that_is_not_utf8(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    reply = api("post_user", base64_body=b'{"name": "\xff\xfe", "email": "a@example.com"}')
    assert reply.status == 400
    assert count_users(db) == 0


@pytest.mark.parametrize("encoded", ["e30", "abcde", "e3=0"])
def test_post_user_with_invalid_base64_says_the_base64_is_invalid(
    api: Invoke, db: psycopg.Connection[Any], encoded: str
) -> None:
    reply = api("post_user", base64_body=encoded)
    assert reply.status == 400
    assert reply.body["message"] == "request body is not valid base64"
    assert count_users(db) == 0


def test_post_user_accepts_a_base64_encoded_json_body(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    reply = api("post_user", base64_body=b'{"name": "Ada", "email": "ada@example.com"}')
    assert reply.status == 201
    assert count_users(db) == 1


def test_post_user_rejects_a_body_that_is_not_json_content(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    reply = api("post_user", raw_body="name=Ada", headers={"Content-Type": "text/plain"})
    assert reply.status == 415
    assert count_users(db) == 0


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"],
)
def test_post_user_answers_415_to_form_bodies(
    api: Invoke, db: psycopg.Connection[Any], content_type: str
) -> None:
    # Powertools would parse forms into the model (a 422), and a multipart type with no
    # boundary raised ValueError (a 500): found by schemathesis.
    body = '{"name": "Ada", "email": "ada@example.com"}'
    reply = api("post_user", raw_body=body, headers={"Content-Type": content_type})
    assert reply.status == 415
    assert count_users(db) == 0


def test_post_user_reads_the_media_type_ignoring_case_and_parameters(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    body = '{"name": "Ada", "email": "ada@example.com"}'
    headers = {"Content-Type": "Application/JSON; charset=utf-8"}
    assert api("post_user", raw_body=body, headers=headers).status == 201
    assert count_users(db) == 1


def test_rejections_never_echo_the_submitted_values(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    reply = api("post_user", body={"name": "secret-name\x00", "email": "secret@@example.com"})
    assert reply.status == 422
    assert "secret" not in reply.raw_body
