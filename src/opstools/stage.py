"""One deployed stage as the declaration names it: its functions, log groups and import bucket."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import stackspec
from deploytools.plan import Config
from stackspec import QueueTrigger
from stackspec.deployed import log_groups, output_naming

if TYPE_CHECKING:
    from pathlib import Path

    from stackspec import Function, Stack
    from stackspec.deployed import LogGroup
    from stackspec.model import BucketSource


class StageError(Exception):
    """The stage, or what was asked of it, does not match the declaration."""


@dataclass(frozen=True)
class Stage:
    """A stage of the project, named as `make deploy` names it (deploytools.plan.Config)."""

    name: str
    project: str = Config.project
    templates: Path = stackspec.TEMPLATES

    def stacks(self) -> tuple[Stack, ...]:
        return stackspec.load_stacks(self.templates)

    def function(self, name: str) -> Function:
        """A declared function, or a StageError that lists the declared ones."""
        try:
            return stackspec.function(name, self.templates)
        except KeyError as exc:
            raise StageError(exc.args[0]) from None

    def function_name(self, function: Function) -> str:
        """Its deployed name, `<project>-<stage>-<function>`."""
        return function.name_in(self.project, self.name)

    def stack_name(self, stack: str) -> str:
        return Config(self.name, self.project).stack_name(stack)

    def log_groups(self, function: str | None = None) -> dict[str, LogGroup]:
        """The deployed log group names, each with its declaration: every group, or one
        function's and the access log of the API in front of it."""
        if function is not None:
            self.function(function)  # an unknown name fails here, naming the declared ones
        return {
            group.name_in(self.project, self.name): group
            for stack in self.stacks()
            for group in log_groups(stack)
            if function is None or function in group.functions
        }

    def import_source(self, function: str | None = None) -> tuple[Function, BucketSource]:
        """The function a bucket's notifications feed, with that bucket: the only one, or
        the one named."""
        fed = [
            (f, trigger.source)
            for stack in self.stacks()
            for f in stack.functions
            for trigger in f.triggers
            if isinstance(trigger, QueueTrigger) and trigger.source is not None
        ]
        if function is not None:
            fed = [(f, source) for f, source in fed if f.name == function]
        if len(fed) != 1:
            names = ", ".join(f.name for f, _ in fed) or "none"
            raise StageError(
                f"name the importing function with FUNCTION= (fed by a bucket: {names})"
            )
        return fed[0]

    def import_bucket(self, cfn: Any, function: Function, source: BucketSource) -> str:
        """The deployed bucket's name: the stack output that refers to it, else its resource."""
        from deploytools import cloudformation

        stack = next(s for s in self.stacks() if s.name == function.stack)
        stack_name = self.stack_name(stack.name)
        if cloudformation.stack_status(cfn, stack_name) is None:
            raise StageError(f"stack {stack_name} is not deployed (make deploy STAGE={self.name})")
        logical_id = source.logical_id or ""
        output = output_naming(stack, logical_id)
        outputs = cloudformation.outputs(cfn, stack_name)
        if output is not None and output in outputs:
            return outputs[output]
        bucket = cloudformation.physical_id(cfn, stack_name, logical_id)
        if bucket is None:
            raise StageError(f"{stack_name} has no bucket {logical_id}")
        return bucket
