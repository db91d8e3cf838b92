"""Drop what a subgraph error says about its implementation (stack traces) before a client sees it."""

from __future__ import annotations

from typing import Any

from router.hygiene.suggestions import without_suggestion

__all__ = ["scrub_errors"]

# extensions servers put stack traces and exception details in (Apollo Server, Strawberry, ...)
_INTERNAL = frozenset({"exception", "stacktrace", "stackTrace", "traceback"})


def scrub_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors without stack traces in `extensions` and without field suggestions."""
    scrubbed = []
    for error in errors:
        clean = dict(error)
        if isinstance(message := clean.get("message"), str):
            clean["message"] = without_suggestion(message)
        extensions = clean.get("extensions")
        if isinstance(extensions, dict) and _INTERNAL & extensions.keys():
            clean["extensions"] = {k: v for k, v in extensions.items() if k not in _INTERNAL}
        scrubbed.append(clean)
    return scrubbed
