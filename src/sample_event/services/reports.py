"""Reports next to the input: imports/a/b.csv -> reports/a/b.csv.json (+ .rejected.csv)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from sample_event.aws import s3

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from sample_event.models import ImportSummary, ObjectRef

IMPORTS_PREFIX = "imports/"
REPORTS_PREFIX = "reports/"
# A spreadsheet would run these as formulas (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_CELL_CHARS = 1000


def report_key(key: str, suffix: str) -> str:
    """Where the report of an imported key goes."""
    return REPORTS_PREFIX + key.removeprefix(IMPORTS_PREFIX) + suffix


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    cell = cell[:_MAX_CELL_CHARS]
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


class RejectReport:
    """The rejected rows with line and reason, streamed to S3 in bounded memory."""

    def __init__(self, client: S3Client, ref: ObjectRef) -> None:
        self.key = report_key(ref.key, ".rejected.csv")
        self.count = 0
        self._upload = s3.StreamingUpload(client, ref.bucket, self.key, "text/csv; charset=utf-8")
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._writer.writerow(["line", "name", "email", "reason"])

    def add(self, line: int, name: str, email: str, reason: str) -> None:
        self.count += 1
        self._writer.writerow([line, neutralise(name), neutralise(email), neutralise(reason)])
        if self._text.tell() >= 1 << 20:
            self._drain()

    def publish(self) -> str | None:
        """Make the report visible if any row was rejected; returns its key."""
        if self.count == 0:
            return None
        self._drain()
        self._upload.finish()
        return self.key

    def discard(self) -> None:
        self._upload.abort()

    def _drain(self) -> None:
        self._upload.write(self._text.getvalue().encode("utf-8"))
        self._text.seek(0)
        self._text.truncate()


def summary_document(
    ref: ObjectRef, summary: ImportSummary, rejected_report: str | None
) -> dict[str, Any]:
    """The JSON summary of one import, as the ledger keeps it and the report shows it."""
    return {
        "bucket": ref.bucket,
        "key": ref.key,
        "version": ref.version,
        **asdict(summary),
        "rejected_report": rejected_report,
    }


def write_summary(client: S3Client, ref: ObjectRef, document: dict[str, Any]) -> str:
    """Put the JSON summary next to the input; returns its key."""
    key = report_key(ref.key, ".json")
    body = json.dumps(document, indent=2).encode("utf-8")
    s3.put_object(client, ref.bucket, key, body, "application/json")
    return key
