"""The executed check: each declared function, from its zip and the layer, in a clean interpreter.

Each function answers its cases (events/<function>/, in order) against a real PostgreSQL and an
S3 endpoint. Each case starts on an emptied throwaway database (migrated, or empty when the case
says so), with only the cases it runs after before it; each problem is one readable line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg

import stackspec
from buildtools import sandbox, scenarios
from buildtools.interpreter import find_python
from localcloud.scratch import EmulatedS3, empty_tables, throwaway_database
from stackspec.events import cases
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

    from buildtools.target import Target
    from stackspec import Function
    from stackspec.events import Case

CACHE = ROOT / ".local" / "build-cache"
INIT_SECONDS = 10  # what Lambda allows a cold start's imports, on top of the function's timeout


def executed_check(
    dist: Path,
    target: Target,
    server_url: str,
    s3_client: S3Client,
    workdir: Path,
    log: Callable[[str], object] = lambda _line: None,
    functions: Sequence[Function] | None = None,
) -> list[str]:
    """Run each function's cases from dist/ for target (this machine's architecture)."""
    python = find_python(target.python_version)
    checker = _Checker(
        python,
        sandbox.runtime_sdk(target, python, CACHE, ROOT),
        sandbox.unpack_layer(dist / f"layer-{target.arch}.zip", workdir),
        server_url,
        s3_client,
    )
    problems: list[str] = []
    for function in stackspec.functions() if functions is None else functions:
        found, calls = checker.check(function, dist / function.artifact, workdir / function.name)
        problems.extend(f"{function.name}: {line}" for line in found)
        log(f"  {function.name}: {calls} call(s), {len(found)} problem(s)")
    return problems


class _Checker:
    """What every function's check shares: the interpreter, the layer, the services."""

    def __init__(
        self, python: Path, sdk: Path, layer: Path, server_url: str, s3_client: S3Client
    ) -> None:
        self.python, self.sdk, self.layer = python, sdk, layer
        self.server_url, self.s3 = server_url, s3_client

    def check(self, function: Function, artifact: Path, root: Path) -> tuple[list[str], int]:
        """The function's problems, and how many cases it answered."""
        try:
            found = cases(function)
        except ValueError as error:  # an `after` that names no case, or a cycle
            return [str(error)], 0
        if not found:
            return [f"no sample event in events/{function.name}/"], 0
        box = sandbox.unpack(artifact, self.layer, root, self.sdk)
        problems: list[str] = []
        for session in scenarios.sessions(found):
            problems.extend(line for group in session for line in scenarios.misplaced(group))
            migrated = not session[0][0].empty_database
            with throwaway_database(self.server_url, migrated=migrated, prefix="verify") as url:
                problems.extend(self._session(function, session, box, url, root))
        return list(dict.fromkeys(problems)), len(found)  # a layer fault once, not once per run

    def _session(
        self,
        function: Function,
        session: list[list[Case]],
        box: sandbox.Sandbox,
        url: str,
        root: Path,
    ) -> list[str]:
        """Run the groups of cases in one interpreter, the database emptied between groups."""
        ordered = [case for group in session for case in group]
        starts = {group[0].name for group in session[1:]}
        problems: list[str] = []

        def calls() -> Iterator[dict[str, Any]]:
            # Taken one by one, each once the previous call has answered (sandbox.run).
            for case in ordered:
                if case.name in starts:
                    _empty(url)
                yield scenarios.handler_call(function, scenarios.prepared_event(case, self.s3))

        def after(index: int, result: dict[str, Any]) -> None:
            problem = scenarios.answer_problem(ordered[index], result)
            problems.extend([problem] if problem else [])
            problems.extend(scenarios.rows_problems(ordered[index], url))

        settings = {**EmulatedS3(self.s3.meta.endpoint_url).environment, "DATABASE_URL": url}
        env = sandbox.lambda_environment(function, settings)
        timeout = function.timeout + INIT_SECONDS
        try:
            report = sandbox.run(self.python, box, calls(), env, root, after, timeout)
        except RuntimeError as error:
            return [*problems, str(error)]
        if report["psycopg_impl"] != "binary":
            problems.append(
                f"psycopg runs its {report['psycopg_impl']!r} implementation, not 'binary'"
            )
        roots = box.allowed_roots(report["stdlib"][0])
        outside = sorted(
            f"{name} ({path})"
            for name, path in report["modules"].items()
            if not path.startswith(roots)
        )
        if outside:
            problems.append(f"modules loaded from outside the sandbox: {', '.join(outside)}")
        return problems


def _empty(url: str) -> None:
    """Empty the database between two groups of cases, while the interpreter waits."""
    with psycopg.connect(url, autocommit=True) as conn:
        # A function that leaves a transaction open between invocations holds its locks
        # (Lambda freezes it so): say so rather than wait forever.
        conn.execute("SET lock_timeout = '5s'")
        try:
            empty_tables(conn)
        except psycopg.errors.LockNotAvailable:
            raise RuntimeError(
                "could not empty the database between cases: the function holds a lock on its"
                " tables after answering (a transaction left open?)"
            ) from None
