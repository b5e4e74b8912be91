"""Business rules and transaction boundaries; no HTTP shapes."""
