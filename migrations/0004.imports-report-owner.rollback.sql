ALTER TABLE imports DROP COLUMN report_owned_until;
