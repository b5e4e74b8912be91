"""The executed check's Lambda stand-in: /var/task, /opt/python and /var/runtime in a tmp dir."""

from __future__ import annotations

import json
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildtools import requirements

if TYPE_CHECKING:
    from buildtools.target import Target

_RUNNER = Path(__file__).with_name("runner.py")


@dataclass(frozen=True)
class Sandbox:
    """An extracted function and layer, and the SDK the Lambda runtime would add."""

    task: Path
    layer: Path
    runtime: Path

    def allowed_roots(self, stdlib: str) -> tuple[str, ...]:
        return (str(self.task), str(self.layer), str(self.runtime), stdlib)


def unpack(function_zip: Path, layer: Path, root: Path, runtime_sdk: Path) -> Sandbox:
    """Extract the function to root/var/task; layer is an extracted layer's python/ folder."""
    task = root / "var" / "task"
    with zipfile.ZipFile(function_zip) as archive:
        archive.extractall(task)
    return Sandbox(task=task, layer=layer, runtime=runtime_sdk)


def unpack_layer(layer_zip: Path, root: Path) -> Path:
    """Extract a layer to root/opt, as Lambda does; returns root/opt/python."""
    with zipfile.ZipFile(layer_zip) as archive:
        archive.extractall(root / "opt")
    return root / "opt" / "python"


def runtime_sdk(target: Target, python: Path, cache: Path, project: Path) -> Path:
    """boto3 and the packages only it needs, at the lock's versions: stands in for /var/runtime.

    Installed once per target into cache and reused while the pins stay the same.
    """
    pins = [
        line
        for line in requirements.export(project)
        if requirements.name_of(line) in requirements.RUNTIME_PROVIDED
    ]
    directory = cache / f"runtime-sdk-{target.runtime}-{target.arch}"
    stamp = directory / "pins.txt"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").splitlines() == pins:
        return directory
    requirements.install(pins, directory, target, python)
    stamp.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return directory


def run(
    python: Path,
    sandbox: Sandbox,
    calls: list[dict[str, Any]],
    env: dict[str, str],
    workdir: Path,
) -> dict[str, Any]:
    """Run the calls in a fresh `python -I -S -B` that sees only the sandbox and the stdlib."""
    spec_path, result_path = workdir / "spec.json", workdir / "result.json"
    spec = {
        "prepend": [str(sandbox.task), str(sandbox.layer)],
        "append": [str(sandbox.runtime)],
        "calls": calls,
        "psycopg": True,
    }
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    source = _RUNNER.read_text(encoding="utf-8")
    command = [str(python), "-I", "-S", "-B", "-c", source, str(spec_path), str(result_path)]
    done = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)
    if done.returncode != 0 or not result_path.is_file():
        raise RuntimeError(f"the clean interpreter failed ({done.returncode}):\n{done.stderr}")
    report: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    report["output"] = done.stdout + done.stderr
    return report


def lambda_environment(function_name: str, extra: dict[str, str]) -> dict[str, str]:
    """Roughly what Lambda puts in a Python function's environment, plus the caller's settings."""
    return {
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "POWERTOOLS_SERVICE_NAME": function_name,
        "LOG_LEVEL": "INFO",
        **extra,
    }
