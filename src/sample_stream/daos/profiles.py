"""The profiles table (migrations/0005): upserts and tombstones, newest sequence number wins.

Both statements write only when the key holds nothing or an older sequence number, and say
so with RETURNING: None means the row already holds this change or a newer one (stale).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

    from psycopg import Connection

    from sample_stream.models import Profile

_UPSERT = """
INSERT INTO profiles AS p
    (email, display_name, locale, opt_ins, expires_at, sequence_number, changed_at)
VALUES (%(email)s, %(display_name)s, %(locale)s, %(opt_ins)s, %(expires_at)s,
        %(sequence_number)s, %(changed_at)s)
ON CONFLICT (email) DO UPDATE
    SET display_name = EXCLUDED.display_name, locale = EXCLUDED.locale,
        opt_ins = EXCLUDED.opt_ins, expires_at = EXCLUDED.expires_at,
        sequence_number = EXCLUDED.sequence_number, changed_at = EXCLUDED.changed_at,
        deleted_at = NULL, deletion = NULL
    WHERE p.sequence_number < EXCLUDED.sequence_number
RETURNING sequence_number
"""

_TOMBSTONE = """
INSERT INTO profiles AS p (email, sequence_number, changed_at, deleted_at, deletion)
VALUES (%(email)s, %(sequence_number)s, %(deleted_at)s, %(deleted_at)s, %(deletion)s)
ON CONFLICT (email) DO UPDATE
    SET display_name = NULL, locale = NULL, opt_ins = '{}', expires_at = NULL,
        sequence_number = EXCLUDED.sequence_number, changed_at = EXCLUDED.changed_at,
        deleted_at = EXCLUDED.deleted_at, deletion = EXCLUDED.deletion
    WHERE p.sequence_number < EXCLUDED.sequence_number
RETURNING sequence_number
"""


def upsert(
    conn: Connection[Any], profile: Profile, *, sequence_number: int, changed_at: datetime
) -> Decimal | None:
    """Write the profile as of this change; None when the row holds this change or a newer one."""
    row = conn.execute(
        _UPSERT,
        {
            "email": profile.email,
            "display_name": profile.display_name,
            "locale": profile.locale,
            "opt_ins": profile.opt_ins,
            "expires_at": profile.expires_at,
            "sequence_number": sequence_number,
            "changed_at": changed_at,
        },
    ).fetchone()
    return None if row is None else row[0]


def tombstone(
    conn: Connection[Any],
    *,
    email: str,
    sequence_number: int,
    deleted_at: datetime,
    deletion: str,
) -> Decimal | None:
    """Clear the profile and mark it deleted; None when the row holds this change or a newer one."""
    row = conn.execute(
        _TOMBSTONE,
        {
            "email": email,
            "sequence_number": sequence_number,
            "deleted_at": deleted_at,
            "deletion": deletion,
        },
    ).fetchone()
    return None if row is None else row[0]
