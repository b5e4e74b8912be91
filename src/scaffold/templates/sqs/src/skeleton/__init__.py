"""The skeleton consumer: SQS messages recorded in PostgreSQL."""
