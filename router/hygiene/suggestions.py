"""Strip field suggestions ("Did you mean ...?") from error messages (OWASP GraphQL cheat sheet)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["without_suggestion", "without_suggestions"]

# graphql-core (like graphql-js) ends a message with one suggestion sentence
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?\s*$")


def without_suggestion(message: str) -> str:
    return _SUGGESTION.sub("", message)


def without_suggestions(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors with every message's suggestion removed."""
    return [
        {**error, "message": without_suggestion(error["message"])}
        if isinstance(error.get("message"), str)
        else error
        for error in errors
    ]
