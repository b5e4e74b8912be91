-- depends: PREVIOUS_MIGRATION
-- The items of the skeleton WebAPI (from `make new-function`): a reference names one item.
CREATE TABLE skeleton (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference   text        NOT NULL UNIQUE CHECK (char_length(reference) BETWEEN 1 AND 100),
    quantity    integer     NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
