"""The records of one CSV into users: shape, validation, the first row of each email, batches.

Each valid row's email is folded the database's way (BatchLoader.fold); the first row of an
email in a batch is kept and later ones are left out, so they count as duplicates. A later
batch meets an earlier batch's email in the table, which keeps the first occurrence in the
file. Rejected rows go to the report with their line and reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sample_event.daos import batches, staging
from sample_event.services.validation import validate_row

if TYPE_CHECKING:
    from collections.abc import Iterator

    from psycopg import Connection

    from sample_event.services.csv_rows import Header
    from sample_event.services.reports import RejectReport


def load(
    conn: Connection[Any],
    header: Header,
    records: Iterator[tuple[int, list[str]]],
    rejects: RejectReport,
    batch_rows: int,
) -> tuple[int, int]:
    """Validate, reject and load every record; returns (rows read, rows inserted)."""
    name_at, email_at, width = header.name_index, header.email_index, header.width
    needed = max(name_at, email_at)
    rows_read = 0
    with batches.BatchLoader(conn) as loader:
        fold, batch = loader.fold, {}
        for line, fields in records:
            rows_read += 1
            if len(fields) > width:
                reason = f"the row has {len(fields)} fields, the header {width}"
            elif len(fields) <= needed:
                reason = f"the row has {len(fields)} fields: name or email is missing"
            else:
                valid = validate_row(fields[name_at], fields[email_at])
                if not isinstance(valid, str):
                    key = fold(valid[1])
                    if key not in batch:  # the first row of an email wins: later ones are dupes
                        batch[key] = staging.copy_line(*valid)
                        if len(batch) == batch_rows:
                            loader.submit(batch)
                            batch = {}
                    continue
                reason = valid
            cells = [*fields, "", ""]
            rejects.add(line, cells[name_at], cells[email_at], reason)
        loader.submit(batch)
        return rows_read, loader.finish()
