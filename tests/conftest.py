"""Fixtures every test folder shares: real PostgreSQL, real S3 endpoint, events, Lambda context."""

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.s3",
    "tests.fixtures.events",
    "tests.fixtures.lambda_context",
    "tests.fixtures.functions",
    "tests.security.log_scan",
]
