"""One module per use case: input -> service call -> output shape; no SQL, no boto3."""
