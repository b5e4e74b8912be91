-- depends: 0004.imports-report-owner
-- The profiles mirror of sample_stream: one row per item of the DynamoDB profiles table, as
-- of the newest stream record applied to it (sequence_number, compared as a number).
-- A REMOVE leaves a tombstone (deleted_at set, the profile's fields cleared) instead of
-- deleting the row, so that a replayed older INSERT or MODIFY finds a newer sequence number
-- and changes nothing. Live profiles: WHERE deleted_at IS NULL.
CREATE TABLE profiles (
    -- The item's key as DynamoDB holds it (DynamoDB keys are case-sensitive); joins to
    -- users go through lower(email), as users' own uniqueness does.
    email            text        PRIMARY KEY CHECK (char_length(email) BETWEEN 3 AND 254),
    display_name     text        CHECK (char_length(display_name) BETWEEN 1 AND 100),
    locale           text,
    opt_ins          text[]      NOT NULL DEFAULT '{}',
    -- The item's TTL attribute: DynamoDB deletes it some time after this instant.
    expires_at       timestamptz,
    sequence_number  numeric     NOT NULL CHECK (sequence_number >= 0),
    -- When DynamoDB made the change (the record's ApproximateCreationDateTime).
    changed_at       timestamptz NOT NULL,
    deleted_at       timestamptz,
    -- 'removed': a writer deleted the item; 'expired': DynamoDB's TTL did.
    deletion         text        CHECK (deletion IN ('removed', 'expired')),
    CHECK ((deleted_at IS NULL) = (deletion IS NULL)),
    CHECK ((deleted_at IS NULL) = (display_name IS NOT NULL))
);

CREATE INDEX profiles_email_lower ON profiles (lower(email));
