"""The deploy and destroy plans: what runs, in which order, with which parameters.

Pure data, no AWS call: `make deploy-plan` prints it, `make deploy` executes it with boto3,
and the tests check it. Each step also renders as the equivalent aws CLI command.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from deploytools.wiring import with_inputs

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "deploy" / "cloudformation"
DIST = ROOT / "dist"
STACKS = ("vpc", "db", "apigateway-lambda", "s3-lambda")
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
    templates: Path = TEMPLATES

    @property
    def artifacts_bucket(self) -> str:
        """One artifacts bucket per account and region, shared by the stages."""
        return f"{self.project}-artifacts-{self.account_id}-{self.region}"

    def stack_name(self, stack: str) -> str:
        """The CloudFormation stack name of one of the four templates."""
        return f"{self.project}-{self.stage}-{stack}"

    def function_name(self, suffix: str) -> str:
        """A function's name, as the templates set it."""
        return f"{self.project}-{self.stage}-{suffix}"


@dataclass(frozen=True)
class Upload:
    """One artifact and its content-addressed key: a new build is a new key, hence an update."""

    path: Path
    key: str


@dataclass(frozen=True)
class StackDeploy:
    """One `aws cloudformation deploy`."""

    stack: str
    stack_name: str
    template: Path
    parameters: dict[str, str] = field(default_factory=dict)
    # Parameters fed, at deploy time, by the output of the same name of an earlier stack.
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeployPlan:
    """Everything `make deploy` does after `make build verify`, in order."""

    config: Config
    uploads: list[Upload]
    stacks: list[StackDeploy]
    migrator: str


@dataclass(frozen=True)
class DestroyPlan:
    """Everything `make destroy` does, in order; the database stack leaves a snapshot."""

    config: Config
    unprotect: StackDeploy
    import_stack: str
    deletions: list[str]


def artifact_key(config: Config, path: Path) -> str:
    """`<project>/<stage>/<name>-<sha256 prefix>.zip`; a placeholder until the file is built."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "<sha256>"
    return f"{config.project}/{config.stage}/{path.stem}-{digest}{path.suffix}"


def deploy_plan(config: Config) -> DeployPlan:
    """The four stacks in dependency order, each fed the keys and the shared parameters."""
    files = {
        "layer": config.dist / f"layer-{config.arch}.zip",
        "api": config.dist / "sample_api.zip",
        "import": config.dist / "sample_event.zip",
        "migrator": config.dist / "migrator.zip",
    }
    uploads = {name: Upload(path, artifact_key(config, path)) for name, path in files.items()}
    common = {"Project": config.project, "Stage": config.stage}
    code = {
        "ArtifactsBucket": config.artifacts_bucket,
        "Runtime": config.runtime,
        "Architecture": config.arch,
    }
    extra = {
        "vpc": {},
        "db": {},
        "apigateway-lambda": {
            **code,
            "LayerKey": uploads["layer"].key,
            "ApiCodeKey": uploads["api"].key,
            "MigratorCodeKey": uploads["migrator"].key,
        },
        "s3-lambda": {**code, "ImportCodeKey": uploads["import"].key},
    }
    stacks = [
        StackDeploy(
            stack,
            config.stack_name(stack),
            config.templates / f"{stack}.yaml",
            {**common, **extra[stack]},
        )
        for stack in STACKS
    ]
    return DeployPlan(
        config, list(uploads.values()), with_inputs(stacks), config.function_name("migrator")
    )


def destroy_plan(config: Config) -> DestroyPlan:
    """Reverse order; deletion protection is lifted first, on purpose, and only for this stage."""
    unprotect = StackDeploy(
        "db",
        config.stack_name("db"),
        config.templates / "db.yaml",
        {"Project": config.project, "Stage": config.stage, "DeletionProtection": "false"},
    )
    return DestroyPlan(
        config,
        unprotect,
        config.stack_name("s3-lambda"),
        [config.stack_name(stack) for stack in reversed(STACKS)],
    )
