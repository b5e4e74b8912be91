"""One Powertools Router per resource; index.py includes each of them."""
