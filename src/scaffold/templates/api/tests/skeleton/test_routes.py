"""The API through its real entry point: what each answer says, and what the table holds."""

from __future__ import annotations

from typing import Any


def test_post_creates_the_item_and_answers_201_with_its_location(api: Any, items: Any) -> None:
    reply = api("skeleton_create")
    assert reply.status == 201
    assert reply.headers["Location"] == f"/skeleton/{reply.body['id']}"
    assert items() == [("REF-1001", 3)]


def test_get_answers_the_item_post_created(api: Any) -> None:
    created = api("skeleton_create").body
    reply = api("skeleton_get", path=f"/skeleton/{created['id']}")
    assert (reply.status, reply.body) == (200, created)


def test_get_of_an_unknown_id_is_404(api: Any) -> None:
    reply = api("skeleton_get", path="/skeleton/999")
    assert (reply.status, reply.body["message"]) == (404, "item not found")


def test_list_pages_through_the_items_in_id_order(api: Any) -> None:
    # GIVEN three items
    for number in range(3):
        api("skeleton_create", body={"reference": f"R-{number}", "quantity": 1})
    # WHEN listed two at a time
    first = api("skeleton_list", query={"limit": "2"}).body
    after = str(first["next_after"])
    second = api("skeleton_list", query={"limit": "2", "after": after}).body
    # THEN each page continues where the last one stopped, and the last says so
    assert [item["reference"] for item in first["items"]] == ["R-0", "R-1"]
    assert [item["reference"] for item in second["items"]] == ["R-2"]
    assert second["next_after"] is None


def test_post_of_a_taken_reference_is_409_and_changes_nothing(api: Any, items: Any) -> None:
    api("skeleton_create")
    reply = api("skeleton_create", body={"reference": "REF-1001", "quantity": 9})
    assert reply.status == 409
    assert reply.body["errors"] == [{"field": "body.reference", "message": "is already taken"}]
    assert items() == [("REF-1001", 3)]


def test_post_with_an_invalid_field_is_422_naming_it_and_writes_nothing(
    api: Any, items: Any
) -> None:
    reply = api("skeleton_create", body={"reference": "REF-1", "quantity": 0})
    assert reply.status == 422
    assert [error["field"] for error in reply.body["errors"]] == ["body.quantity"]
    assert items() == []


def test_post_of_a_body_that_is_not_json_is_400_and_writes_nothing(api: Any, items: Any) -> None:
    reply = api("skeleton_create", raw_body="{not json")
    assert reply.status == 400
    assert items() == []


def test_an_unreachable_database_is_503_with_retry_after(
    api: Any, unreachable_database: None
) -> None:
    reply = api("skeleton_list")
    assert (reply.status, reply.headers["Retry-After"]) == (503, "5")
    assert "request_id" in reply.body
