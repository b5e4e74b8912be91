"""Applies the versioned SQL in migrations/ with yoyo: locally, in tests and at deploy."""
