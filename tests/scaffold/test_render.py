"""Rendering: every placeholder replaced, in paths and contents; nothing overwritten."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from scaffold.render import TRIGGERS, create, next_migration, render
from stackspec.model import ROOT
from tests.scaffold.conftest import free_name

if TYPE_CHECKING:
    from pathlib import Path

PLACEHOLDERS = ("skeleton", "Skeleton", "NNNN", "PREVIOUS_MIGRATION")


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_no_placeholder_is_left_in_a_path_or_a_file(trigger: str) -> None:
    files = render("orders", trigger, ROOT)
    left = [
        str(file.path)
        for file in files
        if any(p in str(file.path) or p in file.text for p in PLACEHOLDERS)
    ]
    assert left == []
    paths = {str(file.path) for file in files}
    number, previous = next_migration(ROOT / "migrations")
    assert {
        "src/orders/index.py",
        "deploy/cloudformation/orders.yaml",
        f"migrations/{number}.create-orders.sql",
        f"migrations/{number}.create-orders.rollback.sql",
        "tests/orders/conftest.py",
    } <= paths
    migration = next(f for f in files if f.path.name == f"{number}.create-orders.sql")
    assert migration.text.startswith(f"-- depends: {previous}\n")


def test_the_next_migration_follows_the_highest_number(tmp_path: Path) -> None:
    assert next_migration(tmp_path) == ("0001", None)
    for name in ("0001.a.sql", "0001.a.rollback.sql", "0012.b.sql", "0012.b.rollback.sql"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert next_migration(tmp_path) == ("0013", "0012.b")


def test_an_existing_file_is_never_overwritten_and_nothing_is_written(tmp_path: Path) -> None:
    # GIVEN a repository where one of the files to create is already there
    name = free_name("orders", "sqs")
    for folder in ("migrations", "deploy/cloudformation", "events"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "migrations" / "0001.create-x.sql").write_text("", encoding="utf-8")
    taken = tmp_path / "migrations" / f"0002.create-{name}.rollback.sql"
    taken.write_text("-- mine\n", encoding="utf-8")
    # WHEN the function is created THEN it refuses, naming the file, and writes nothing
    with pytest.raises(FileExistsError, match=re.escape(taken.name)):
        create(name, "sqs", tmp_path)
    assert taken.read_text(encoding="utf-8") == "-- mine\n"
    assert not (tmp_path / "src").exists()
    assert not (tmp_path / "deploy" / "cloudformation" / f"{name}.yaml").exists()


def test_a_created_function_lists_what_it_wrote(tmp_path: Path) -> None:
    for folder in ("migrations", "deploy/cloudformation", "events"):
        (tmp_path / folder).mkdir(parents=True)
    written = create(free_name("orders", "schedule"), "schedule", tmp_path)
    assert sorted(str(p) for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        str(tmp_path / p) for p in written
    )
