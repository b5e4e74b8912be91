ALTER TABLE imports DROP COLUMN report, DROP COLUMN report_written_at;
