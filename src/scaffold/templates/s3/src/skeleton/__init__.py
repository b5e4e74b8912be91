"""The skeleton recorder: objects created in its bucket, recorded in PostgreSQL."""
