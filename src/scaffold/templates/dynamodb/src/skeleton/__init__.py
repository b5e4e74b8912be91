"""The skeleton mirror: a DynamoDB table's changes, from its stream, applied to PostgreSQL."""
