"""Event-processing sample: CSV of users from S3 imported into PostgreSQL."""
