"""The values passed between the layers of the importer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """One S3 object version, as an event names it or as GetObject answered; key URL-decoded."""

    bucket: str
    key: str
    version_id: str | None = None
    etag: str | None = None

    @property
    def version(self) -> str:
        """The ledger's version: the S3 version id, or the ETag in an unversioned bucket."""
        if self.version_id and self.version_id != "null":
            return self.version_id
        return self.etag or ""


@dataclass(slots=True)
class ImportSummary:
    """What one import did; written to the report and the ledger."""

    import_id: str
    status: str  # completed | failed | skipped | duplicate-delivery
    rows_read: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    error: str | None = None
    duration_ms: int = 0
