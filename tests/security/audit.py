"""Audit the locked runtime dependencies (what ships in the layer) for known vulnerabilities.

pip-audit asks PyPI for each pinned release. Where that answer is missing (this build machine's
PyPI answers 404 for per-release JSON), a pin that is its project's latest release is audited
from the project JSON, whose `vulnerabilities` describe the latest release. Anything left is
reported as not audited: never counted as clean.

    python -m tests.security.audit [--strict]    # --strict: not audited is a failure too
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.markers import Marker

from buildtools.requirements import uv_binary

REPO = Path(__file__).resolve().parents[2]
EXCEPTIONS = REPO / "security" / "audit-exceptions.toml"
MAX_EXCEPTION_DAYS = 90


@dataclass(frozen=True)
class Vulnerability:
    """One advisory against one pinned release."""

    package: str
    version: str
    id: str
    aliases: tuple[str, ...] = ()
    fixed_in: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {self.id, *self.aliases}


@dataclass
class Audit:
    """What was audited, what was found, and what could not be audited."""

    pins: dict[str, str]
    problems: list[str] = field(default_factory=list)
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    unaudited: dict[str, str] = field(default_factory=dict)


def export_runtime(directory: Path) -> Path:
    """The locked runtime dependencies as a hashed requirements file."""
    path = directory / "runtime.txt"
    command = [uv_binary(), "export", "--frozen", "--no-dev", "--no-emit-project", "-o", str(path)]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return path


def run_pip_audit(requirements: Path) -> dict[str, Any]:
    """pip-audit's JSON report (exit 1 only means it found something)."""
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--disable-pip"]
    command += ["-f", "json", "--progress-spinner", "off"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1) or not result.stdout.startswith("{"):
        raise RuntimeError(f"pip-audit failed ({result.returncode}): {result.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def pins_of(requirements: Path) -> dict[str, str]:
    """name -> version of each `name==version ; marker` line whose marker holds here."""
    pins = {}
    for line in requirements.read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            requirement, _, marker = line.rstrip(" \\").partition(";")
            if marker.strip() and not Marker(marker.strip()).evaluate():
                continue
            name, version = requirement.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def from_pip_audit(report: dict[str, Any], pins: dict[str, str]) -> Audit:
    audit = Audit(pins={})
    for dependency in report["dependencies"]:
        name = dependency["name"].lower()
        version = dependency.get("version") or pins.get(name, "?")
        audit.pins[name] = version
        if "skip_reason" in dependency:
            audit.unaudited[name] = version
        for vuln in dependency.get("vulns", []):
            audit.vulnerabilities.append(
                Vulnerability(
                    name, version, vuln["id"], tuple(vuln["aliases"]), tuple(vuln["fix_versions"])
                )
            )
    return audit


def fetch_project(name: str) -> dict[str, Any] | None:
    url = f"https://pypi.org/pypi/{name}/json"
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            project: dict[str, Any] = json.load(response)
            return project
    except OSError:
        return None


def latest_release_vulnerabilities(name: str, version: str) -> list[Vulnerability] | None:
    """Known vulnerabilities of name==version if it is the latest release; None: not known."""
    project = fetch_project(name)
    if project is None or project["info"]["version"] != version:
        return None
    return [
        Vulnerability(name, version, item["id"], tuple(item["aliases"]), tuple(item["fixed_in"]))
        for item in project.get("vulnerabilities", [])
        if not item.get("withdrawn")
    ]


def audit_runtime() -> Audit:
    """Audit the locked runtime dependencies: pip-audit, then the latest-release fallback."""
    with tempfile.TemporaryDirectory() as directory:
        requirements = export_runtime(Path(directory))
        pins = pins_of(requirements)
        try:
            audit = from_pip_audit(run_pip_audit(requirements), pins)
        except RuntimeError as exc:  # e.g. no network: nothing audited, and said so
            audit = Audit(pins=dict(pins), unaudited=dict(pins), problems=[str(exc)[-300:]])
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(
            zip(
                audit.unaudited,
                pool.map(lambda p: latest_release_vulnerabilities(*p), audit.unaudited.items()),
                strict=True,
            )
        )
    for name, found in answers.items():
        if found is not None:
            del audit.unaudited[name]
            audit.vulnerabilities.extend(found)
    return audit


def load_exceptions(path: Path = EXCEPTIONS) -> list[dict[str, Any]]:
    """The written exceptions, checked for completeness (ValueError names the bad entry)."""
    entries: list[dict[str, Any]] = tomllib.loads(path.read_text()).get("exception", [])
    for entry in entries:
        missing = {"id", "package", "date", "expires", "reason"} - entry.keys()
        if missing:
            raise ValueError(f"exception {entry.get('id')!r} lacks {sorted(missing)}")
        if not isinstance(entry["date"], dt.date) or not isinstance(entry["expires"], dt.date):
            raise ValueError(f"exception {entry['id']!r}: date and expires are TOML dates")
        if not 0 < (entry["expires"] - entry["date"]).days <= MAX_EXCEPTION_DAYS:
            raise ValueError(f"exception {entry['id']!r}: expires 1..{MAX_EXCEPTION_DAYS} days on")
        if len(str(entry["reason"]).split()) < 5:
            raise ValueError(f"exception {entry['id']!r}: write the reason out")
    return entries


def unexcepted(
    found: list[Vulnerability], exceptions: list[dict[str, Any]], today: dt.date
) -> list[Vulnerability]:
    """The vulnerabilities no current exception covers (an expired one covers nothing)."""
    live = [entry for entry in exceptions if entry["expires"] >= today]
    return [
        vuln
        for vuln in found
        if not any(
            entry["package"].lower() == vuln.package and entry["id"] in vuln.names()
            for entry in live
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail when anything is unaudited")
    strict = parser.parse_args(argv).strict
    audit = audit_runtime()
    bad = unexcepted(audit.vulnerabilities, load_exceptions(), dt.date.today())
    audited = len(audit.pins) - len(audit.unaudited)
    print(f"audited {audited} of {len(audit.pins)} runtime dependencies")
    for vuln in bad:
        print(f"VULNERABLE {vuln.package}=={vuln.version} {vuln.id} fixed in {vuln.fixed_in}")
    for name, version in audit.unaudited.items():
        print(f"NOT AUDITED {name}=={version}")
    for problem in audit.problems:
        print(f"PROBLEM {problem}")
    return 1 if bad or (strict and audit.unaudited) else 0


if __name__ == "__main__":
    sys.exit(main())
