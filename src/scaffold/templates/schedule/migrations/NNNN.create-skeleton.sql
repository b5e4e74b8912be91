-- depends: PREVIOUS_MIGRATION
-- The runs of the skeleton job (from `make new-function`): one row per scheduled time, so that
-- a retried or redelivered schedule event does the job once.
CREATE TABLE skeleton (
    scheduled_at  timestamptz PRIMARY KEY,
    rows_counted  bigint      NOT NULL CHECK (rows_counted >= 0),
    finished_at   timestamptz NOT NULL DEFAULT now()
);
