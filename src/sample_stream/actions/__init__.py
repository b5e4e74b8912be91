"""Use cases: from one stream record to its outcome in the mirror."""
