"""Why each SQS message failed, read from the error lines the function logged for it.

In AWS the reason is in CloudWatch Logs; locally the poller puts it on its retry line. A
function states it in its JSON error line: `message_id`, `reason` and `failure` (permanent,
transient or unexpected), as Powertools Logger writes them.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from collections.abc import Iterator


class FailedMessages(logging.Handler):
    """Collects `reasons` (message id -> why) from a logger while attached."""

    def __init__(self, logger_name: str) -> None:
        super().__init__(logging.ERROR)
        self.reasons: dict[str, str] = {}
        self._logger = logging.getLogger(logger_name)  # Powertools names it after the service

    @contextlib.contextmanager
    def attached(self) -> Iterator[Self]:
        # The function's own formatter adds the keys it appended (message_id) to each line.
        formatter = next((h.formatter for h in self._logger.handlers if h.formatter), None)
        self.setFormatter(formatter)
        self._logger.addHandler(self)
        try:
            yield self
        finally:
            self._logger.removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = json.loads(self.format(record))
        except ValueError:
            return  # not a JSON line: nothing to read
        if not isinstance(line, dict) or not line.get("message_id"):
            return
        reason = str(line.get("reason") or line.get("message", "failed"))
        kind = line.get("failure")
        if kind == "permanent":
            kind = "permanent: retrying cannot help"
        self.reasons[str(line["message_id"])] = f"{reason} ({kind})" if kind else reason
