"""bandit on src/: every medium or high finding carries a written reason."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
REVIEWED = REPO / "security" / "bandit-reviewed.toml"
SPLICE = re.compile(r"\{([^{}]*)\}")
NOSEC = re.compile(r"#\s*nosec\b(.*)")
NOSEC_IDS = re.compile(r"\s*B\d{3}(?:\s*,\s*B\d{3})*")


@cache
def bandit_findings(root: Path = REPO) -> list[dict[str, Any]]:
    """bandit's medium and high findings in root's src/."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-r",
            "src",
            "-f",
            "json",
            "-q",
            "--severity-level",
            "medium",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: findings; anything else: bandit broke
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]
    results: list[dict[str, Any]] = report["results"]
    return results


def reviewed() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = tomllib.loads(REVIEWED.read_text())["finding"]
    for entry in entries:
        assert len(entry["reason"].split()) >= 5, f"give a real reason: {entry}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["reviewed"]), entry
    return entries


def explains(entry: dict[str, Any], finding: dict[str, Any]) -> bool:
    """Same file and check, and the flagged code splices only the reviewed names."""
    spliced = set(SPLICE.findall(finding["code"]))
    return (
        entry["file"] == finding["filename"]
        and entry["test"] == finding["test_id"]
        and bool(spliced)
        and spliced <= set(entry["splices"])
    )


def test_bandit_reports_no_unexplained_medium_or_high_finding() -> None:
    entries = reviewed()
    unexplained = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        for item in bandit_findings()
        if not any(explains(entry, item) for entry in entries)
    ]
    assert not unexplained, (
        f"bandit findings without a reason: {unexplained}; fix them, or add"
        f" `# nosec BXXX: reason` on the line, or an entry to {REVIEWED.relative_to(REPO)}"
    )


def test_a_spliced_value_is_a_finding_no_review_explains(tmp_path: Path) -> None:
    # GIVEN SQL that splices a parameter, in the reviewed file's place
    dao = tmp_path / "src" / "sample_event" / "daos" / "ledger.py"
    dao.parent.mkdir(parents=True)
    dao.write_text('def status(conn, key):\n    conn.execute(f"SELECT 1 FROM t WHERE k = {key}")\n')
    # WHEN bandit reads it THEN it is flagged, and the review of _KEY does not cover it
    findings = bandit_findings(tmp_path)
    assert [item["test_id"] for item in findings] == ["B608"]
    assert not any(explains(entry, findings[0]) for entry in reviewed())


def test_every_reviewed_entry_still_explains_a_finding() -> None:
    findings = bandit_findings()
    stale = [entry for entry in reviewed() if not any(explains(entry, f) for f in findings)]
    assert not stale, f"remove from {REVIEWED.relative_to(REPO)}: {stale}"


def unexplained_nosec(lines: list[str]) -> list[int]:
    """Line numbers of `# nosec` without a check id, or without a reason (same line or above)."""
    bare = []
    for number, line in enumerate(lines, start=1):
        if (match := NOSEC.search(line)) is None:
            continue
        ids = NOSEC_IDS.match(match.group(1))
        reason_above = number > 1 and lines[number - 2].lstrip().startswith("#")
        if ids is None or (
            len(match.group(1)[ids.end() :].strip(" :-()")) < 10 and not reason_above
        ):
            bare.append(number)
    return bare


def test_nosec_check_flags_a_bare_or_unexplained_suppression() -> None:
    assert unexplained_nosec(["x = 1  # nosec", "y = 2  # nosec B301"]) == [1, 2]
    assert unexplained_nosec(["import pickle  # nosec B403 - only our own objects"]) == []
    assert unexplained_nosec(["# loads what it just dumped", "pickle.loads(b)  # nosec B301"]) == []


def test_every_nosec_in_src_names_the_check_and_says_why() -> None:
    bare = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "src").rglob("*.py"))
        for number in unexplained_nosec(path.read_text().splitlines())
    ]
    assert not bare, f"`# nosec` without `BXXX` and a reason: {bare}"
