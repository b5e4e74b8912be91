"""The skeleton mirror: the changes of a DynamoDB table, applied to PostgreSQL."""
