"""The deploy and destroy plans: what runs, in which order, with which parameters.

Pure data, no AWS call: `make deploy-plan` prints it, `make deploy` executes it with boto3,
and the tests check it. Each step also renders as the equivalent aws CLI command. Which stacks
and functions exist, and in which order, comes from the templates (src/stackspec); the values
of their parameters from the stage file (deploy/stages/<stage>.toml, src/deploytools/stages.py)
and from what the deploy computes (code keys, earlier stacks' outputs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import stackspec
from deploytools.wiring import with_inputs
from stackspec.model import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from deploytools.stages import StageSettings

DIST = ROOT / "dist"
ACCOUNT_PLACEHOLDER = "<account-id>"


@dataclass(frozen=True)
class Config:
    """Where and what to deploy."""

    stage: str
    project: str = "lambda-stack"
    region: str = "us-east-1"
    runtime: str = "python3.13"
    arch: str = "arm64"
    account_id: str = ACCOUNT_PLACEHOLDER
    dist: Path = DIST
    templates: Path = stackspec.TEMPLATES
    # CloudFormation's service role (deploy/cloudformation/ci.yaml's ExecutionRole): the stacks
    # are then created with its permissions, not the caller's. Empty: the caller's own.
    execution_role: str = ""

    @classmethod
    def of(cls, settings: StageSettings, stage: str, **where: Any) -> Config:
        """A stage deployed with `settings`: project, runtime and architecture are the file's."""
        return cls(stage, settings.project, runtime=settings.runtime, arch=settings.arch, **where)

    @property
    def artifacts_bucket(self) -> str:
        """One artifacts bucket per account and region, shared by the stages."""
        return f"{self.project}-artifacts-{self.account_id}-{self.region}"

    def stack_name(self, stack: str) -> str:
        """The CloudFormation stack name of one template."""
        return f"{self.project}-{self.stage}-{stack}"


@dataclass(frozen=True)
class Upload:
    """One artifact and its content-addressed key: a new build is a new key, hence an update."""

    path: Path
    key: str


@dataclass(frozen=True)
class StackDeploy:
    """One `aws cloudformation deploy`, then the functions to invoke once it is up."""

    stack: str
    stack_name: str
    template: Path
    parameters: dict[str, str] = field(default_factory=dict)
    # Functions invoked once it is up (the migrations): deployed name -> its Timeout.
    invoke: dict[str, int] = field(default_factory=dict)
    # Parameters fed, at deploy time, by the output of the same name of an earlier stack.
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeployPlan:
    """Everything `make deploy` does after `make build verify`, in order."""

    config: Config
    uploads: list[Upload]
    stacks: list[StackDeploy]
    settings: StageSettings


@dataclass(frozen=True)
class DestroyPlan:
    """Everything `make destroy` does, in order; protected stacks are unprotected first."""

    config: Config
    unprotect: list[StackDeploy]
    deletions: list[str]
    buckets: dict[str, tuple[str, ...]]  # stack name -> logical ids of buckets to empty first


def artifact_key(config: Config, path: Path) -> str:
    """`<project>/<stage>/<name>-<sha256 prefix>.zip`; a placeholder until the file is built."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "<sha256>"
    return f"{config.project}/{config.stage}/{path.stem}-{digest}{path.suffix}"


def deploy_plan(config: Config, settings: StageSettings) -> DeployPlan:
    """Every stack in dependency order, with the stage file's values, its code keys and the rest.

    Every parameter a template declares gets a value here or, for outputs of earlier stacks and
    the zones, at deploy time (`StackDeploy.inputs`).
    """
    _agree(config, settings)
    stacks = stackspec.load_stacks(config.templates)
    layer_path = config.dist / f"layer-{config.arch}.zip"
    layer = Upload(layer_path, artifact_key(config, layer_path))
    uploads = [layer] if any(stack.layer_parameters for stack in stacks) else []
    steps = []
    for stack in stacks:
        keys = {name: layer.key for name in stack.layer_parameters}
        for function in stack.functions:
            path = config.dist / function.artifact
            uploads.append(Upload(path, artifact_key(config, path)))
            keys[function.code_parameter] = uploads[-1].key
        given = {**settings.values.get(stack.name, {}), **_computed(config), **keys}
        steps.append(
            StackDeploy(
                stack.name,
                config.stack_name(stack.name),
                stack.template,
                {name: value for name, value in given.items() if name in stack.parameters},
                {
                    function.name_in(config.project, config.stage): function.timeout
                    for function in stack.functions
                    if function.invoke_on_deploy
                },
            )
        )
    return DeployPlan(config, uploads, with_inputs(steps), settings)


def _agree(config: Config, settings: StageSettings) -> None:
    """The names and the layer the tool uses are the ones the stage file gives the stacks."""
    pairs = [
        ("Project", config.project, settings.project),
        ("Runtime", config.runtime, settings.runtime),
        ("Architecture", config.arch, settings.arch),
    ]
    for name, configured, written in pairs:
        if configured != written:
            raise ValueError(f"{settings.path} says {name} = {written}, not {configured}")


def _computed(config: Config) -> dict[str, str]:
    """What every template that declares them gets from the deploy itself."""
    return {"Stage": config.stage, "ArtifactsBucket": config.artifacts_bucket}


def destroy_plan(config: Config) -> DestroyPlan:
    """Reverse order; deletion protection is lifted first, on purpose, and only for this stage."""
    stacks = stackspec.load_stacks(config.templates)
    unprotect = [
        StackDeploy(
            stack.name,
            config.stack_name(stack.name),
            stack.template,
            {"Project": config.project, "Stage": config.stage, "DeletionProtection": "false"},
        )
        for stack in stacks
        if "DeletionProtection" in stack.parameters
    ]
    return DestroyPlan(
        config,
        unprotect,
        [config.stack_name(stack.name) for stack in reversed(stacks)],
        {config.stack_name(stack.name): stack.buckets for stack in stacks if stack.buckets},
    )
