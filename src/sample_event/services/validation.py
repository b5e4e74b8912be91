"""A CSV row validated exactly as POST /users validates its body: with shared.models.NewUser."""

from __future__ import annotations

from pydantic import ValidationError

from shared.models import NewUser


def validate_row(name: str, email: str) -> NewUser | str:
    """The valid user, or the reason it is not valid (field: message; ...)."""
    try:
        return NewUser.model_validate({"name": name, "email": email})
    except ValidationError as exc:
        return "; ".join(_describe(error) for error in exc.errors(include_url=False))


def _describe(error: object) -> str:
    details = error if isinstance(error, dict) else {}
    field = ".".join(str(part) for part in details.get("loc", ())) or "row"
    message = str(details.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{field}: {message}"
