"""SQL of the mirror: the profiles table."""
