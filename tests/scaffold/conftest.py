"""A copy of the repository to render new functions into, and the tools to run there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from scaffold.names import InvalidNameError
from scaffold.render import TRIGGERS, checked, create
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


def free_name(stem: str, trigger: str, length: int | None = None) -> str:
    """`stem` itself, or cut to `length` with a number at its end, free in this repository.

    The tests must pass in a repository whose user already made functions of their own.
    """
    for number in range(1000):
        suffix = "" if number == 0 and length in (None, len(stem)) else str(number)
        name = stem[: (length or len(stem) + len(suffix)) - len(suffix)] + suffix
        try:
            checked(name, trigger, ROOT)
        except (InvalidNameError, FileExistsError):
            continue
        return name
    raise AssertionError(f"no free name like {stem!r}: is every name refused?")


# Two names per trigger, the shortest and the longest allowed: a rendered line must be
# ruff-clean and formatted the same whatever the length of the name it carries.
STEMS = {
    "api": "ordersreadapiversion",
    "sqs": "inboundmessagesqueue",
    "s3": "uploadedfilesrecords",
    "schedule": "nightlyreportsrunner",
    "dynamodb": "tablechangesmirrored",
}


def two_names_each() -> dict[str, tuple[str, ...]]:
    return {
        trigger: (free_name(stem, trigger, 2), free_name(stem, trigger, 20))
        for trigger, stem in STEMS.items()
    }


_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".local", "dist", "__pycache__", ".*_cache", "node_modules"
)


def copy_repository(destination: Path) -> Path:
    """The repository's files as git sees them (tracked, and new ones not ignored)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout.decode()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: everything but tools
        shutil.copytree(ROOT, destination, ignore=_NOT_COPIED, dirs_exist_ok=True)
        return destination
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@dataclass(frozen=True)
class Copy:
    """A copy of the repository and the functions rendered into it, by trigger."""

    root: Path
    names: Mapping[str, tuple[str, ...]]

    def run(self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 300) -> str:
        """Run a command in the copy with this interpreter's tools; its output, or a failure."""
        result = subprocess.run(
            args, cwd=self.root, capture_output=True, text=True, timeout=timeout, check=False,
            env={**os.environ, "PYTHONPATH": str(self.root / "src"), **(env or {})},
        )  # fmt: skip
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def python(self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 300) -> str:
        """Run this interpreter in the copy (the copy's src/ first on the path)."""
        return self.run(sys.executable, *args, env=env, timeout=timeout)

    def pytest(self, folder: str, *, server_url: str | None = None) -> None:
        """Run a folder of the copy's tests (on this server, when given); fails if one fails."""
        env = {"DATABASE_URL": server_url} if server_url else None
        # Without the plugins these tests never use: schemathesis alone costs ~3 s to import.
        unused = ("-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:anyio")
        command = ("-m", "pytest", "-n", "0", "-q", *unused, folder)
        output = self.python(*command, env=env, timeout=1800)
        assert " passed" in output and " failed" not in output, output


def render_into(root: Path, names: Mapping[str, tuple[str, ...]]) -> Copy:
    """Every name of `names` rendered with its trigger, the first through the command line."""
    first = True
    for trigger in TRIGGERS:
        for name in names[trigger]:
            if first:
                Copy(root, names).python("-m", "scaffold", name, trigger)
                first = False
            else:
                create(name, trigger, root)
    return Copy(root, names)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Copy:
    """One copy of the repository with two functions of each trigger rendered into it."""
    root = copy_repository(tmp_path_factory.mktemp("repository"))
    return render_into(root, two_names_each())
