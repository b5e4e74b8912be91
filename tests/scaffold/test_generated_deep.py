"""`make check-deep`: each trigger's generated tests, build and static verify, tests/deploy.

In one copy with one function of each trigger, as a user would have after five
`make new-function`: their own tests, the zips `make build` makes of them and the static
half of `make verify`, and the template checks of tests/deploy with the new stacks present.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

import pytest

from scaffold.render import TRIGGERS
from stackspec.model import ROOT
from tests.scaffold.conftest import copy_repository, free_name, render_into

if TYPE_CHECKING:
    from tests.scaffold.conftest import Copy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("CHECK_DEEP") != "1", reason="builds and deploy checks: make check-deep"
    ),
]
STEMS = {
    "api": "orders",
    "sqs": "inbox",
    "s3": "uploads",
    "schedule": "nightly",
    "dynamodb": "stock",
}


@pytest.fixture(scope="module")
def one_each(tmp_path_factory: pytest.TempPathFactory) -> Copy:
    root = copy_repository(tmp_path_factory.mktemp("repository"))
    return render_into(root, {t: (free_name(stem, t),) for t, stem in STEMS.items()})


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_the_generated_tests_pass(one_each: Copy, server_url: str, trigger: str) -> None:
    (name,) = one_each.names[trigger]
    one_each.pytest(f"tests/{name}", server_url=server_url)


def test_make_build_zips_each_new_function_and_static_verify_passes(one_each: Copy) -> None:
    # The copy uses this environment (uv run syncs it to the same lock: nothing to do).
    uv = os.environ.get("UV") or shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    env = {"UV": uv, "UV_PROJECT_ENVIRONMENT": sys.prefix}
    one_each.run("make", "-o", ".venv/.synced", "build", f"UV={uv}", env=env, timeout=1800)
    for (name,) in one_each.names.values():
        assert (one_each.root / "dist" / f"{name}.zip").is_file(), name
    problems = one_each.python(
        "-c",
        "from pathlib import Path\n"
        "from buildtools.verify import static_problems\n"
        "print('\\n'.join(static_problems(Path('dist'), 'python3.13')))",
    )
    assert problems.strip() == ""


def test_the_template_checks_of_tests_deploy_pass_with_the_new_stacks(one_each: Copy) -> None:
    checkov = ROOT / "tools" / "checkov" / ".venv"
    if checkov.is_dir():  # the checks sync their own environment when it is missing
        (one_each.root / "tools" / "checkov" / ".venv").symlink_to(checkov)
    one_each.pytest("tests/deploy")
