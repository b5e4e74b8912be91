"""Local tooling that never ships to Lambda: embedded PostgreSQL, S3/SQS emulator, gateway."""
