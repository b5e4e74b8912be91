"""`make verify`: static checks of dist/ on both architectures, then the executed check here.

`python -m buildtools.verify --runtime python3.13 [--dist dist]`; exits 1 listing every problem.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from buildtools import requirements
from buildtools.app import FUNCTIONS
from buildtools.checks import check_artifact, check_bundle
from buildtools.execute import PROJECT, executed_check
from buildtools.target import ARCHITECTURES, Target, host_arch


def dev_distributions(project: Path = PROJECT) -> frozenset[str]:
    """Distributions only the dev group brings in (the migrate group's are allowed)."""

    def names(group: str | None) -> set[str]:
        return {requirements.name_of(line) for line in requirements.export(project, group=group)}

    return frozenset(names("dev") - names(None) - names("migrate"))


def static_problems(dist: Path, runtime: str) -> list[str]:
    """Every static check of every artifact, for each architecture."""
    dev = dev_distributions()
    problems: list[str] = []
    for arch in ARCHITECTURES:
        target = Target(runtime, arch)
        layer = dist / f"layer-{arch}.zip"
        artifacts = [layer, *(dist / f"{name}.zip" for name in FUNCTIONS)]
        missing = [path for path in artifacts if not path.is_file()]
        problems.extend(f"{path}: missing; run `make build`" for path in missing)
        if missing:
            continue
        for artifact in artifacts:
            problems.extend(str(problem) for problem in check_artifact(artifact, target, dev))
        for name in FUNCTIONS:
            problems.extend(str(p) for p in check_bundle(dist / f"{name}.zip", layer))
    return problems


def _executed_problems(dist: Path, runtime: str) -> list[str]:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    from localcloud.paths import local_dir
    from localcloud.postgres import start_embedded

    server_url = os.environ.get("DATABASE_URL") or start_embedded(local_dir() / "verify-postgres")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    s3_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3_server.start()
    try:
        host, port = s3_server.get_host_and_port()
        s3_client = boto3.client(
            "s3",
            endpoint_url=f"http://{host}:{port}",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 (the emulator's fake credentials)
        )
        with tempfile.TemporaryDirectory(prefix="verify-") as workdir:
            target = Target(runtime, host_arch())
            return executed_check(dist, target, server_url, s3_client, Path(workdir), print)
    finally:
        s3_server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default="python3.13")
    parser.add_argument("--dist", type=Path, default=PROJECT / "dist")
    args = parser.parse_args(argv)
    problems = static_problems(args.dist, args.runtime)
    print(f"static checks ({', '.join(ARCHITECTURES)}): {len(problems)} problem(s)", flush=True)
    if not problems:
        problems = _executed_problems(args.dist, args.runtime)
        print(f"executed check ({host_arch()}): {len(problems)} problem(s)")
    for problem in problems:
        print(f"  - {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
