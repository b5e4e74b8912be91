-- depends: PREVIOUS_MIGRATION
-- The objects created under incoming/ in the skeleton bucket (from `make new-function`): one
-- row per object version, so that a redelivered notification records nothing twice.
CREATE TABLE skeleton (
    bucket          text        NOT NULL,
    object_key      text        NOT NULL,
    -- The S3 version id, or the ETag when the bucket is not versioned.
    object_version  text        NOT NULL,
    size            bigint      NOT NULL CHECK (size >= 0),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bucket, object_key, object_version)
);
