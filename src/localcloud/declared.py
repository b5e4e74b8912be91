"""The declaration (src/stackspec) as the local cloud runs it: the local rules, all in one place.

- A function runs with its deployed timeout, memory and environment variables: the literal
  values its template gives (Stage=local). The variables only AWS can resolve (the database
  secret's ARN and address, imported from other stacks) are left out, and DATABASE_URL points
  at the local database instead. The log level (POWERTOOLS_LOG_LEVEL) is the local console's
  choice (`make dev LOG_LEVEL=...`). A variable that names
  the bucket notifying the function's queue holds the local bucket's name.
- A queue keeps its deployed visibility timeout, redrive policy and batch size. The one value
  scaled down is the wait before a failed message comes back (`retry_delay`): README, "Local
  cloud", says so and why.
- API functions run in the gateway's process; every other function in a process of its own.
"""

from __future__ import annotations

import importlib.util
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from localcloud.functions import SHARED_PACKAGE, FunctionHost
from localcloud.isolated import ProcessHost
from stackspec import ApiTrigger, QueueTrigger

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from stackspec import Function
    from stackspec.model import BucketSource

# Five deployed minutes of waiting are a local second: a failed message of a queue with a
# 30 minute visibility timeout comes back after 6 s, not after half an hour.
RETRY_SCALE = 300


def retry_delay(trigger: QueueTrigger) -> int:
    """Seconds a failed message stays invisible locally: the visibility timeout, scaled down."""
    return max(1, math.ceil(trigger.visibility_timeout / RETRY_SCALE))


def triggered(functions: Iterable[Function]) -> list[Function]:
    """The functions `make dev` runs: those with a trigger (the others are only invoked)."""
    return [function for function in functions if function.triggers]


def bucket_sources(functions: Iterable[Function]) -> list[BucketSource]:
    """Every bucket that notifies a declared queue, in declaration order."""
    return [
        trigger.source
        for function in functions
        for trigger in function.triggers
        if isinstance(trigger, QueueTrigger) and trigger.source is not None
    ]


def local_bucket(source: BucketSource) -> str:
    """The bucket's local name: the function's variable naming it when set, else the declared
    one (the template's `LocalName`)."""
    chosen = os.environ.get(source.env_var) if source.env_var else None
    return chosen or source.bucket


def environment(
    function: Function, *, database_url: str, log_level: str, buckets: Mapping[str, str]
) -> dict[str, str]:
    """The variables the function sees locally; `buckets` maps declared to local bucket names."""
    env = {name: value for name, value in function.environment.items() if value is not None}
    for source in bucket_sources([function]):
        if source.env_var:
            env[source.env_var] = buckets.get(source.bucket, source.bucket)
    # Lambda sets AWS_LAMBDA_FUNCTION_NAME itself; DATABASE_URL stands for the AWS-only ones.
    env.update(
        DATABASE_URL=database_url,
        POWERTOOLS_LOG_LEVEL=log_level,
        AWS_LAMBDA_FUNCTION_NAME=function.name,
    )
    return env


def host(function: Function, env: Mapping[str, str], *, in_process: bool = False) -> FunctionHost:
    """The function's execution environment, reloaded when its code or `shared` changes.

    Any function but an API one gets a process of its own: a long CPU-bound handler (the CSV
    import) would otherwise hold the gateway's GIL, which Lambda never does (docs/benchmarks.md).
    """
    kind = FunctionHost if in_process or function.trigger(ApiTrigger) else ProcessHost
    return kind(
        function.name,
        function.handler,
        (*package_folders(function.name), *package_folders(SHARED_PACKAGE)),
        env,
        float(function.timeout),
        function.memory,
    )


def package_folders(package: str) -> tuple[Path, ...]:
    """Where a package's code lives on sys.path (none when it cannot be found yet)."""
    spec = importlib.util.find_spec(package)
    locations = spec.submodule_search_locations if spec is not None else None
    return tuple(Path(location) for location in locations or ())
