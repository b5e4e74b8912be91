-- depends: 0002.create-imports
-- The report of an import is written after its transaction commits, so that no reader sees
-- a report before its rows. The ledger keeps the report's document: a retry after a failed
-- write (S3 down between COMMIT and PutObject) re-writes it from here and imports nothing.
ALTER TABLE imports
    ADD COLUMN report jsonb,
    ADD COLUMN report_written_at timestamptz;
