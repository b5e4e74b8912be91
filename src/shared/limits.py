"""How long a user's fields may be: the input model checks it, the output models publish it.

Kept apart from shared/models.py so that reading them imports no pydantic.
"""

from __future__ import annotations

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
