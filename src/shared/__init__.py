"""Code every function ships with: settings, database connection, logging, errors, models."""
