-- depends: PREVIOUS_MIGRATION
-- The mirror of the skeleton DynamoDB table (from `make new-function`): one row per item, as
-- of the newest stream record applied to it (sequence_number, compared as a number). A
-- REMOVE leaves a tombstone (deleted_at set, the item's fields cleared) instead of deleting
-- the row, so that a replayed older INSERT or MODIFY finds a newer sequence number and changes
-- nothing. Live items: WHERE deleted_at IS NULL.
CREATE TABLE skeleton (
    reference        text        PRIMARY KEY CHECK (char_length(reference) BETWEEN 1 AND 100),
    quantity         integer     CHECK (quantity BETWEEN 1 AND 10000),
    sequence_number  numeric     NOT NULL CHECK (sequence_number >= 0),
    -- When DynamoDB made the change (the record's ApproximateCreationDateTime).
    changed_at       timestamptz NOT NULL,
    deleted_at       timestamptz,
    CHECK ((deleted_at IS NULL) = (quantity IS NOT NULL))
);
