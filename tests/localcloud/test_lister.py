"""The fallback for an S3 that cannot notify a queue (MinIO): list imports/, dispatch new objects.

Run here against moto's real S3 API, with its notifications left unconfigured.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from localcloud.lister import Lister
from tests.localcloud.declarations import queue_trigger

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_s3 import S3Client

    from localcloud.functions import FunctionHost

# Records the keys it is given; fails the keys listed in FAIL.
RECORDING_HANDLER = """
import json
from urllib.parse import unquote_plus
KEYS = []
FAIL = {fail}

def handler(event, context):
    failures = []
    for record in event["Records"]:
        for s3 in json.loads(record["body"])["Records"]:
            key = unquote_plus(s3["s3"]["object"]["key"])
            KEYS.append(key)
            if key in FAIL:
                failures.append({{"itemIdentifier": record["messageId"]}})
    return {{"batchItemFailures": failures}}
"""


ATTEMPTS = 3
TRIGGER = queue_trigger(max_receive_count=ATTEMPTS)  # of imports/*.csv


def keys_seen(host: FunctionHost) -> list[str]:
    keys: list[str] = sys.modules[host.handler.rpartition(".")[0]].KEYS
    return keys


def test_new_csv_objects_are_dispatched_once_and_older_ones_not_at_all(
    s3_client: S3Client, bucket: str, function_package: Callable[[str], FunctionHost]
) -> None:
    # GIVEN an object present before the lister starts
    s3_client.put_object(Bucket=bucket, Key="imports/old.csv", Body=b"name,email\n")
    host = function_package(RECORDING_HANDLER.format(fail="set()"))
    lister = Lister(s3_client, bucket, TRIGGER, host)
    lister.remember_existing()
    # WHEN new objects arrive, some of which are not imports
    s3_client.put_object(Bucket=bucket, Key="imports/new file.csv", Body=b"name,email\n")
    s3_client.put_object(Bucket=bucket, Key="imports/notes.txt", Body=b"x")
    s3_client.put_object(Bucket=bucket, Key="reports/new.csv", Body=b"x")
    # THEN only the new CSV is dispatched, once, with its key as S3 would encode it
    assert lister.scan_once() == 1
    assert lister.scan_once() == 0
    assert keys_seen(host) == ["imports/new file.csv"]


def test_an_overwritten_object_is_dispatched_again(
    s3_client: S3Client, bucket: str, function_package: Callable[[str], FunctionHost]
) -> None:
    host = function_package(RECORDING_HANDLER.format(fail="set()"))
    lister = Lister(s3_client, bucket, TRIGGER, host)
    s3_client.put_object(Bucket=bucket, Key="imports/a.csv", Body=b"name,email\n")
    assert lister.scan_once() == 1
    s3_client.put_object(Bucket=bucket, Key="imports/a.csv", Body=b"name,email\nA,a@x.org\n")
    assert lister.scan_once() == 1
    assert keys_seen(host) == ["imports/a.csv", "imports/a.csv"]


def test_a_failing_object_is_retried_then_given_up(
    s3_client: S3Client, bucket: str, function_package: Callable[[str], FunctionHost]
) -> None:
    host = function_package(RECORDING_HANDLER.format(fail='{"imports/bad.csv"}'))
    lister = Lister(s3_client, bucket, TRIGGER, host)
    s3_client.put_object(Bucket=bucket, Key="imports/bad.csv", Body=b"x")
    dispatched = [lister.scan_once() for _ in range(ATTEMPTS + 2)]
    assert dispatched == [1] * ATTEMPTS + [0, 0]
