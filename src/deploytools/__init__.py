"""Local tooling that deploys the stacks to AWS; never shipped in a function or layer."""
