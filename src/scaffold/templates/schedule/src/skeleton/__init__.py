"""The skeleton job: runs on a schedule, once per scheduled time, on PostgreSQL."""
