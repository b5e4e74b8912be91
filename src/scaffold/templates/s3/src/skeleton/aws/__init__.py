"""AWS clients, created lazily and reused across invocations."""
