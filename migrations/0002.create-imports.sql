-- depends: 0001.create-users
-- The import ledger of sample_event: one row per S3 object version, so that a re-delivered
-- notification imports nothing twice. A run claims its row (in_progress, claimed_until) and
-- commits its users together with the final status in one transaction.
CREATE TABLE imports (
    bucket          text        NOT NULL,
    object_key      text        NOT NULL,
    -- The S3 version id, or the ETag when the bucket is not versioned.
    object_version  text        NOT NULL,
    status          text        NOT NULL
                    CHECK (status IN ('in_progress', 'completed', 'failed', 'skipped')),
    import_id       uuid        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 1,
    -- Until then an in_progress claim is honoured; afterwards a retry may take it over.
    claimed_until   timestamptz,
    rows_read       bigint,
    inserted        bigint,
    duplicates      bigint,
    rejected        bigint,
    error           text,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    PRIMARY KEY (bucket, object_key, object_version)
);
