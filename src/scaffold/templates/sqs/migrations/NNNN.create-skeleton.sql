-- depends: PREVIOUS_MIGRATION
-- The messages of the skeleton consumer (from `make new-function`): one row per SQS message
-- id, so that a redelivered message is recorded once. A message that can never be recorded
-- (not JSON, invalid fields) is kept as rejected, with the reason and the body as received.
CREATE TABLE skeleton (
    message_id   text        PRIMARY KEY,
    status       text        NOT NULL CHECK (status IN ('accepted', 'rejected')),
    reference    text        CHECK (char_length(reference) BETWEEN 1 AND 100),
    quantity     integer     CHECK (quantity BETWEEN 1 AND 10000),
    reason       text,
    body         text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'accepted') = (reference IS NOT NULL AND quantity IS NOT NULL)),
    CHECK ((status = 'rejected') = (reason IS NOT NULL AND body IS NOT NULL))
);
