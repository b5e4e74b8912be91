"""The importer's CloudWatch metrics, read back from the embedded-metric-format lines it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.metrics import NAMESPACE

if TYPE_CHECKING:
    import pytest

REPO = Path(__file__).resolve().parents[2]


def _emitted(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The metric values of the handler's EMF documents, merged by name."""
    values: dict[str, Any] = {}
    for line in capsys.readouterr().out.splitlines():
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        document = json.loads(line)
        [directive] = document["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == NAMESPACE
        for metric in directive["Metrics"]:
            values[metric["Name"]] = (document[metric["Name"]], metric["Unit"])
    return values


def test_a_completed_import_counts_its_rows_and_duration(
    upload: Any, invoke: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "name,email\nAda,ada@example.com\nAlan,alan@example.com\nAda,ADA@example.com\n,x\n"
    capsys.readouterr()
    invoke(upload(body).s3_event())
    metrics = _emitted(capsys)
    assert metrics["RowsImported"] == ([2.0], "Count")
    assert metrics["RowsDuplicate"] == ([1.0], "Count")
    assert metrics["RowsRejected"] == ([1.0], "Count")
    [duration], unit = metrics["ImportDuration"]
    assert (duration >= 0, unit) == (True, "Milliseconds")
    assert "ImportsFailed" not in metrics


def test_a_file_that_is_not_a_csv_of_users_counts_as_failed(
    upload: Any, invoke: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    invoke(upload("just,some\ncolumns,here\n").s3_event())
    metrics = _emitted(capsys)
    assert metrics["ImportsFailed"] == ([1.0], "Count")
    assert metrics["RowsImported"] == ([0.0], "Count")


def test_an_invocation_that_counts_nothing_prints_no_warning(database_url: str) -> None:
    # A fresh interpreter, as make dev runs the importer: pytest resets warning filters per
    # test. Powertools warned "No application metrics to publish" on make dev's console.
    code = (
        "import json, sys\n"
        "from sample_event.index import handler\n"
        "from localcloud.context import LocalContext\n"
        "from pathlib import Path\n"
        "event = json.loads(Path(sys.argv[1]).read_text())\n"
        "print(handler(event, LocalContext('sample_event')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", code, str(REPO / "events/s3_test_event.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("{'imports': []}")
    assert "Warning" not in result.stderr
