"""SQL of the import: staging, users, and the ledger."""
