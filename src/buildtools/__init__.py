"""Local tooling that builds and verifies the Lambda artifacts; never shipped in a zip."""
