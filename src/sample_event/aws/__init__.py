"""boto3 clients, created lazily and reused."""
