"""The shipped stage files, read once, for the tests that plan or rehearse a deploy."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import stackspec
from deploytools import stages


@cache
def settings(stage: str = "dev") -> stages.StageSettings:
    """deploy/stages/<stage>.toml as the deploy reads it."""
    return stages.load(stages.path(stage), stackspec.load_stacks())


def changed(base: stages.StageSettings, **values: str) -> stages.StageSettings:
    """The settings with some values changed, in every stack that has them."""
    return replace(
        base,
        values={
            stack: {name: values.get(name, value) for name, value in given.items()}
            for stack, given in base.values.items()
        },
    )
