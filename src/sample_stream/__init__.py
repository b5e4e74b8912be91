"""Event-processing sample: a DynamoDB table of user profiles mirrored into PostgreSQL."""
