-- depends: 0003.imports-report
-- The run that committed an import writes its report right after COMMIT, and owns that
-- write until its own claim would have expired. A re-delivery arriving in that window must
-- leave the report to it (else the report is written twice); after it, or once the run
-- gives the write up (S3 refused it), a re-delivery writes the report from the ledger.
ALTER TABLE imports ADD COLUMN report_owned_until timestamptz;
