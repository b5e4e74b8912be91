"""The stream function: records applied per second for a 1,000-record batch, against a bare loop.

`python -m bench stream`. One embedded PostgreSQL (.local/bench-postgres), one database.
Interleaved rounds, each on an emptied profiles table, of:
- the bare loop: one psycopg connection in autocommit, the same upsert per record, its values
  read straight from the event: the floor for "one write per record, each on its own";
- the function's handler, in this process: Powertools' batch processor, the record read and
  validated by the model, one transaction per record, the stale check.
Target: the handler applies at least 0.8x the bare loop's records per second.

Then the local path `make dev` runs: a put_item on moto, the stream poller, the handler, and
the time until the row is in PostgreSQL (poll interval 250 ms, as Lambda polls 4 times a second).
"""

from __future__ import annotations

import importlib
import os
import statistics
import time
from typing import Any

from bench._declared import handler_of, stream_function

RECORDS = int(os.environ.get("BENCH_STREAM_RECORDS", "1000"))
ROUNDS = int(os.environ.get("BENCH_STREAM_ROUNDS", "9"))
LATENCY_PUTS = int(os.environ.get("BENCH_STREAM_PUTS", "20"))
TARGET = 0.8
ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/bench-profiles/stream/2026-01-01T00:00:00"


def _event(count: int) -> dict[str, Any]:
    """A batch of INSERTs of distinct profiles, shaped as Lambda delivers them."""
    records = []
    for n in range(count):
        email = f"user.{n:06d}@example{n % 50}.com"
        image = {
            "email": {"S": email},
            "display_name": {"S": f"User {n:06d}"},
            "locale": {"S": "en-GB"},
            "opt_ins": {"SS": ["newsletter", "product_updates"]},
            "expires_at": {"N": "1798761600"},
        }
        records.append(
            {
                "eventID": f"{n:032x}",
                "eventName": "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": "us-east-1",
                "dynamodb": {
                    "ApproximateCreationDateTime": 1767225600 + n // 100,
                    "Keys": {"email": {"S": email}},
                    "NewImage": image,
                    "SequenceNumber": str(4421584500000000017450439000 + n),
                    "SizeBytes": 180,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
                "eventSourceARN": ARN,
            }
        )
    return {"Records": records}


def _bare(url: str) -> Any:
    """The same upserts, one autocommit statement per record, and nothing else."""
    from datetime import UTC, datetime

    import psycopg

    # The function's own statement: the ratio measures its layers, not a different SQL.
    dao = importlib.import_module(f"{stream_function().name}.daos.profiles")
    upsert = dao._UPSERT

    conn = psycopg.Connection.connect(url, autocommit=True, prepare_threshold=None)

    def apply(event: dict[str, Any]) -> None:
        for record in event["Records"]:
            stream = record["dynamodb"]
            image = stream["NewImage"]
            conn.execute(
                upsert,
                {
                    "email": image["email"]["S"],
                    "display_name": image["display_name"]["S"],
                    "locale": image["locale"]["S"],
                    "opt_ins": sorted(image["opt_ins"]["SS"]),
                    "expires_at": datetime.fromtimestamp(int(image["expires_at"]["N"]), UTC),
                    "sequence_number": int(stream["SequenceNumber"]),
                    "changed_at": datetime.fromtimestamp(
                        stream["ApproximateCreationDateTime"], UTC
                    ),
                },
            )

    return apply


def _throughput(url: str, commits: str) -> float:
    """Records per second of both, interleaved; returns the handler's ratio to the bare loop."""
    import psycopg

    from localcloud.context import LocalContext
    from shared import db

    function = stream_function()
    handler = handler_of(function)

    admin = psycopg.Connection.connect(url, autocommit=True)
    admin.execute(f"ALTER DATABASE {admin.info.dbname} SET synchronous_commit = {commits}")
    db.close()  # the setting applies to new sessions: the handler's too
    event = _event(RECORDS)
    context = LocalContext(function_name="bench")
    subjects = {
        "bare psycopg loop": _bare(url),
        function.name: lambda e: handler(e, context),
    }
    rates: dict[str, list[float]] = {name: [] for name in subjects}
    cpu: dict[str, list[float]] = {name: [] for name in subjects}  # this process's, per record
    for round_ in range(ROUNDS + 1):  # the first round warms up (connections, caches)
        for name, apply in subjects.items():  # interleaved: load drift hits both alike
            admin.execute("TRUNCATE profiles")
            started, cpu_started = time.perf_counter(), time.process_time()
            result = apply(event)
            elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu_started
            assert result is None or result == {"batchItemFailures": []}, result
            assert admin.execute("SELECT count(*) FROM profiles").fetchone() == (RECORDS,)
            if round_:
                rates[name].append(RECORDS / elapsed)
                cpu[name].append(cpu_used / RECORDS * 1e6)
    admin.execute(f"ALTER DATABASE {admin.info.dbname} RESET synchronous_commit")
    admin.close()
    db.close()
    bare = statistics.median(rates["bare psycopg loop"])
    for name, values in rates.items():
        median = statistics.median(values)
        per_record = statistics.median(cpu[name])
        print(
            f"  {name:18} {median:9,.0f}/s   {median / bare:5.2f}x bare"
            f"   (client CPU {per_record:4.0f} µs/record)"
        )
    return statistics.median(rates[function.name]) / bare


def _latency(url: str) -> None:
    """put_item -> row in PostgreSQL through moto's stream, the poller and the handler."""
    import boto3
    import psycopg

    import stackspec
    from localcloud.emulator import MotoEndpoint
    from localcloud.functions import FunctionHost
    from localcloud.paths import REPO_ROOT
    from localcloud.stream_poller import StreamPoller, create_table

    function = stream_function()
    trigger = function.trigger(stackspec.StreamTrigger)
    assert isinstance(trigger, stackspec.StreamTrigger)
    moto = MotoEndpoint(0)
    clients = {
        name: boto3.client(name, endpoint_url=moto.url, region_name="us-east-1")
        for name in ("dynamodb", "dynamodbstreams", "sqs")
    }
    arn = create_table(clients["dynamodb"], trigger)
    src = REPO_ROOT / "src"
    host = FunctionHost(
        function.name,
        function.handler,
        (src / function.name, src / "shared"),
        {"DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
    )
    poller = StreamPoller(
        trigger, host, stream_arn=arn, streams=clients["dynamodbstreams"], sqs=clients["sqs"]
    )
    seen: list[float] = []
    with psycopg.Connection.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE profiles")
        poller.start()
        try:
            for n in range(LATENCY_PUTS + 1):
                email = f"latency{n}@example.com"
                item = {"email": {"S": email}, "display_name": {"S": "Latency"}}
                started = time.perf_counter()
                clients["dynamodb"].put_item(TableName=trigger.table, Item=item)
                query = "SELECT 1 FROM profiles WHERE email = %s"
                while conn.execute(query, [email]).fetchone() is None:
                    time.sleep(0.002)
                if n:  # the first one is the function's cold start
                    seen.append((time.perf_counter() - started) * 1000)
        finally:
            poller.stop()
            host.unload()
            moto.stop()
    print(
        f"put_item -> row in PostgreSQL through the local stream poller, {LATENCY_PUTS} puts:"
        f" median {statistics.median(seen):.0f} ms, max {max(seen):.0f} ms"
    )


def _verdict(ratio: float) -> None:
    met = "met" if ratio >= TARGET else "NOT met"
    print(f"  target {stream_function().name} >= {TARGET}x bare: {met}")


def main() -> None:
    from bench._database import migrated_database

    url = migrated_database("bench_stream")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    print(f"{RECORDS}-record batch, records applied per second, median of {ROUNDS}:")
    print("as deployed: every commit waits for its WAL flush (synchronous_commit on)")
    ratio = _throughput(url, "on")
    _verdict(ratio)
    # The flush per commit dominates both on a slow disk; without it, what shows is what our
    # layers cost per record on top of the same statement.
    print("commit flush taken out (synchronous_commit off): the layers' own cost shows")
    ratio = _throughput(url, "off")
    _verdict(ratio)
    _latency(url)
