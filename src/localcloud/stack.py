"""Everything `make dev` runs, read from the declaration; started in order, stopped in reverse.

Every declared function with a trigger gets its host (localcloud.declared) and what its
triggers need (localcloud.triggers). A function with no trigger is not run, but one that
`make deploy` invokes once its stack is up (the migrations) is invoked once here, at start,
before anything else uses the database.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import stackspec
from localcloud import console, declared, emulator, snapshot, triggers
from localcloud.config import FAKE_AWS

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from contextlib import ExitStack
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

    from localcloud.config import LocalConfig
    from stackspec import Function


def start_database(
    config: LocalConfig, stack: ExitStack, functions: Iterable[Function], log_level: str
) -> str:
    """The embedded server under the data folder (or DATABASE_URL's), migrated."""
    url = start_server(config, stack)
    run_on_deploy(functions, url, log_level)
    return url


def start_server(config: LocalConfig, stack: ExitStack) -> str:
    """DATABASE_URL, or the embedded server under the data folder, started; its URI."""
    url = config.database_url
    if url is None:
        from localcloud.postgres import start_embedded, stop_embedded

        folder = config.data_dir / "postgres"
        url = start_embedded(folder)
        stack.callback(stop_embedded, folder)
    return url


def run_on_deploy(functions: Iterable[Function], database_url: str, log_level: str) -> None:
    """Invoke once each function `make deploy` invokes when its stack is up; a failure stops."""
    for function in functions:
        if not function.invoke_on_deploy:
            continue
        env = declared.environment(
            function, database_url=database_url, log_level=log_level, buckets={}
        )
        host = declared.host(function, env, in_process=True)  # once: no process of its own
        try:
            invocation = host.invoke({})
        finally:
            host.unload()
        if invocation.error is not None:
            error = invocation.error
            raise RuntimeError(
                f"{function.name} failed at start: {type(error).__name__}: {error}"
            ) from error
        result = json.dumps(invocation.result, default=str)
        console.say(f"{function.name} (invoked at start, as `make deploy` does): {result}")


def start(
    config: LocalConfig, stack: ExitStack, functions: Sequence[Function] | None = None
) -> dict[str, Any]:
    """Start the stack; returns what the tools need to reach it (the state file's content)."""
    with ThreadPoolExecutor(1) as pool:
        server = pool.submit(start_server, config, stack)  # the rest starts meanwhile
        declaration = stackspec.functions() if functions is None else functions
        # On the database's thread, once the server is up, while the emulator starts here.
        migrated = pool.submit(
            lambda: run_on_deploy(declaration, server.result(), config.log_level)
        )
        s3_url = _start_endpoint(config, stack)
        buckets = _start_buckets(config, stack, declaration)
        migrated.result()
        database_url = server.result()
    # Every function gets both in its own variables; here too, for the modules an in-process
    # function imports lazily at call time, which are the process's copies (functions.py).
    os.environ.update(DATABASE_URL=database_url, POWERTOOLS_LOG_LEVEL=config.log_level)
    aws = triggers.Aws(config.listing_fallback, buckets)
    running = declared.triggered(declaration)
    hosts = {}
    for function in running:
        env = declared.environment(
            function, database_url=database_url, log_level=config.log_level, buckets=buckets
        )
        hosts[function.name] = host = declared.host(function, env)
        stack.callback(host.unload)
    api_url = triggers.start_gateway(running, hosts, config.api_port, stack)
    wiring = [
        line
        for function in running
        for trigger in function.triggers
        if (line := triggers.start(trigger, hosts[function.name], aws, stack))
    ]
    return {
        "api_url": api_url,
        "s3_endpoint": s3_url,
        "bucket": next(iter(buckets.values()), None),  # where `make import` uploads
        "buckets": buckets,
        "database_url": database_url,
        "dispatch": "listing" if config.listing_fallback else "queue",
        "triggers": wiring,
    }


def _start_endpoint(config: LocalConfig, stack: ExitStack) -> str:
    """moto's S3 and SQS (unless AWS_ENDPOINT_URL_S3 names one), and the variables boto3 reads."""
    s3_url = config.s3_endpoint
    if s3_url is None:
        moto = emulator.MotoEndpoint(config.s3_port)
        stack.callback(moto.stop)
        s3_url = moto.url
        os.environ.update(FAKE_AWS)  # never real credentials against the emulator
        for service in ("SQS", "DYNAMODB", "DYNAMODB_STREAMS"):
            os.environ[f"AWS_ENDPOINT_URL_{service}"] = s3_url  # one moto serves them all
    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)  # docker-compose's MinIO has these too
    os.environ["AWS_ENDPOINT_URL_S3"] = s3_url
    # The console has a line per invocation; the EMF metric lines only matter in
    # CloudWatch. POWERTOOLS_METRICS_DISABLED=false shows them.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    return s3_url


def _start_buckets(
    config: LocalConfig, stack: ExitStack, functions: Iterable[Function]
) -> dict[str, str]:
    """Each bucket that notifies a queue, restored from its snapshot; declared -> local name."""
    buckets = {
        source.bucket: declared.local_bucket(source)
        for source in declared.bucket_sources(functions)
    }
    if not buckets:
        return buckets
    import boto3

    s3 = boto3.client("s3")
    for bucket in dict.fromkeys(buckets.values()):
        emulator.create_bucket(s3, bucket)
        if config.listing_fallback:
            continue  # an external S3 keeps its own data
        folder = config.data_dir / "s3" / bucket
        # Before the notification exists: restoring never triggers anything.
        restored = snapshot.restore(s3, bucket, folder)
        if restored:
            console.say(f"S3: {restored} object(s) restored from {folder}")
        stack.callback(_save_snapshot, s3, bucket, folder)
    return buckets


def _save_snapshot(s3: S3Client, bucket: str, folder: Path) -> None:
    saved = snapshot.save(s3, bucket, folder)
    console.say(f"S3: {saved} object(s) saved to {snapshot.archive_of(folder)}")
