"""Mirror rules and the transaction boundary; nothing here knows event shapes."""
