"""One Router per resource; index.py includes them."""
