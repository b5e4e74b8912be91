"""Everything `make dev` runs, started in order and stopped in reverse by one ExitStack."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from localcloud import console, emulator, snapshot
from localcloud.config import FAKE_AWS
from localcloud.functions import FunctionHost
from localcloud.isolated import ProcessHost
from localcloud.paths import REPO_ROOT

if TYPE_CHECKING:
    from contextlib import ExitStack

    from localcloud.config import LocalConfig

SRC = REPO_ROOT / "src"


def start_database(config: LocalConfig, stack: ExitStack) -> str:
    """The embedded server under the data folder (or DATABASE_URL's), migrated."""
    from migrator.apply import apply_migrations

    url = config.database_url
    if url is None:
        from localcloud.postgres import start_embedded, stop_embedded

        folder = config.data_dir / "postgres"
        url = start_embedded(folder)
        stack.callback(stop_embedded, folder)
    applied = apply_migrations(url)
    if applied:
        console.say(f"migrations applied: {', '.join(applied)}")
    return url


def function_hosts() -> tuple[FunctionHost, FunctionHost]:
    """The two functions, each with the variables Lambda would give it."""

    def host(name: str, timeout: float, kind: type[FunctionHost] = FunctionHost) -> FunctionHost:
        env = {"POWERTOOLS_SERVICE_NAME": name, "AWS_LAMBDA_FUNCTION_NAME": name}
        watch = (SRC / name, SRC / "shared")
        return kind(name, f"{name}.index.handler", watch, env, timeout)

    # The importer gets a process of its own: its CSV loop would hold this process's GIL
    # against the gateway's requests, which Lambda never does (docs/benchmarks.md).
    return host("sample_api", 29.0), host("sample_event", 300.0, ProcessHost)


def start(config: LocalConfig, stack: ExitStack) -> dict[str, Any]:
    """Start the stack; returns what the tools need to reach it (the state file's content)."""
    with ThreadPoolExecutor(1) as pool:
        database = pool.submit(start_database, config, stack)  # PostgreSQL starts meanwhile
        s3_url = config.s3_endpoint
        if s3_url is None:
            moto = emulator.MotoEndpoint(config.s3_port)
            stack.callback(moto.stop)
            s3_url = moto.url
            os.environ.update(FAKE_AWS)  # never real credentials against the emulator
            os.environ["AWS_ENDPOINT_URL_SQS"] = s3_url
        for name, value in FAKE_AWS.items():
            os.environ.setdefault(name, value)  # docker-compose's MinIO has these too
        os.environ["AWS_ENDPOINT_URL_S3"] = s3_url
        os.environ["IMPORT_BUCKET"] = config.bucket
        os.environ["LOG_LEVEL"] = config.log_level
        # The console has a line per invocation; the EMF metric lines only matter in
        # CloudWatch. POWERTOOLS_METRICS_DISABLED=false shows them.
        os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
        dispatch = _start_s3(config, stack)
        os.environ["DATABASE_URL"] = database_url = database.result()
    api, importer = function_hosts()
    stack.callback(api.unload)
    stack.callback(importer.unload)
    from localcloud.gateway import GatewayServer

    gateway = GatewayServer(api, port=config.api_port).start()
    stack.callback(gateway.stop)
    dispatch(importer)
    return {
        "api_url": gateway.url,
        "s3_endpoint": s3_url,
        "bucket": config.bucket,
        "database_url": database_url,
        "dispatch": "listing" if config.listing_fallback else "queue",
    }


def _start_s3(config: LocalConfig, stack: ExitStack) -> Any:
    """The bucket, and S3 -> SQS, or the listing fallback; returns how to start the dispatcher."""
    import boto3

    s3 = boto3.client("s3")
    emulator.create_bucket(s3, config.bucket)
    if config.listing_fallback:
        from localcloud.lister import Lister

        def start_lister(function: FunctionHost) -> None:
            stack.callback(Lister(s3, config.bucket, function).start().stop)

        return start_lister
    folder = config.data_dir / "s3" / config.bucket
    restored = snapshot.restore(s3, config.bucket, folder)
    if restored:
        console.say(f"S3: {restored} object(s) restored from {folder}")
    stack.callback(_save_snapshot, s3, config.bucket, folder)
    sqs = boto3.client("sqs")
    queues = emulator.create_queues(sqs, config.bucket)
    emulator.notify_queue(s3, config.bucket, queues.arn)

    def start_poller(function: FunctionHost) -> None:
        from localcloud.poller import Poller

        poller = Poller(sqs, queues, function, max_receives=emulator.MAX_RECEIVES)
        stack.callback(poller.start().stop)

    return start_poller


def _save_snapshot(s3: Any, bucket: str, folder: Any) -> None:
    saved = snapshot.save(s3, bucket, folder)
    console.say(f"S3: {saved} object(s) saved to {snapshot.archive_of(folder)}")
