"""The executed check's Lambda stand-in: /var/task, /opt/python and /var/runtime in a tmp dir."""

from __future__ import annotations

import json
import os
import select
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from buildtools import requirements

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from buildtools.target import Target
    from stackspec import Function

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
    calls: Iterable[dict[str, Any]],
    env: dict[str, str],
    workdir: Path,
    after: Callable[[int, dict[str, Any]], object] = lambda _index, _result: None,
    timeout: float = 60,
) -> dict[str, Any]:
    """Run the calls in turn in a fresh `python -I -S -B` that sees only the sandbox and stdlib.

    The report's "results" holds each call's answer. A call is taken from `calls` only once the
    previous one has answered, and `after(index, result)` runs in between: the caller may look
    at the database, or upload what the next call needs, while the interpreter waits. A call
    that takes over `timeout` seconds stops the run.
    """
    spec_path, result_path = workdir / "spec.json", workdir / "result.json"
    result_path.unlink(missing_ok=True)  # an earlier run's, in the same folder
    answers_read, answers_write = os.pipe()
    spec = {
        "prepend": [str(sandbox.task), str(sandbox.layer)],
        "append": [str(sandbox.runtime)],
        "answers_fd": answers_write,
        "psycopg": True,
    }
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    source = _RUNNER.read_text(encoding="utf-8")
    command = [str(python), "-I", "-S", "-B", "-c", source, str(spec_path), str(result_path)]
    results: list[dict[str, Any]] = []
    failure = ""
    # Its output goes to a file: a pipe nobody reads while it runs could fill and block it.
    with (workdir / "output.txt").open("w+", encoding="utf-8") as output:
        child = subprocess.Popen(
            command,
            env=env,
            cwd=workdir,
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=(answers_write,),
            text=True,
        )
        os.close(answers_write)
        with os.fdopen(answers_read, encoding="utf-8") as answers:
            try:
                failure = _converse(child, answers, calls, results, after, timeout)
            finally:
                if child.poll() is None:
                    child.kill()
                child.wait()
        output.seek(0)
        printed = output.read()
    if failure or child.returncode != 0 or not result_path.is_file():
        reason = failure or f"exit status {child.returncode}"
        raise RuntimeError(f"the clean interpreter failed ({reason}):\n{printed}")
    report: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    report.update(results=results, output=printed)
    return report


def _converse(
    child: subprocess.Popen[str],
    answers: IO[str],
    calls: Iterable[dict[str, Any]],
    results: list[dict[str, Any]],
    after: Callable[[int, dict[str, Any]], object],
    timeout: float,
) -> str:
    """Send each call, wait for its answer, run `after`; returns what went wrong, if anything."""
    assert child.stdin is not None  # noqa: S101 (set by stdin=PIPE)
    try:
        for index, call in enumerate(calls):
            child.stdin.write(json.dumps(call) + "\n")
            child.stdin.flush()
            ready, _, _ = select.select([answers], [], [], timeout)
            if not ready:
                return f"call {index} gave no answer within {timeout:.0f} s"
            line = answers.readline()
            if not line:
                return f"it died during call {index}"
            results.append(json.loads(line))
            after(index, results[-1])
        child.stdin.close()
        child.wait(timeout)
    except BrokenPipeError:
        return "it died between calls"
    except subprocess.TimeoutExpired:
        return f"it did not exit within {timeout:.0f} s of its last call"
    return ""


def lambda_environment(function: Function, extra: Mapping[str, str]) -> dict[str, str]:
    """Roughly what Lambda gives the function: the runtime's variables, the values its template
    sets, then the caller's settings (where the database and S3 are)."""
    declared = {name: value for name, value in function.environment.items() if value is not None}
    return {
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory),
        **declared,
        **extra,
    }
