"""SQL and nothing else: parameterised queries returning typed rows."""
