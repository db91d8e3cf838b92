"""Drop what a subgraph error says about its implementation (stack traces) before a client sees it."""

from __future__ import annotations

from typing import Any

from router.hygiene.suggestions import without_suggestion

__all__ = ["PRIVATE_EXTENSIONS", "scrub_errors"]

# extensions servers put stack traces and exception details in (Apollo Server, Strawberry, ...):
# the executor never passes them on from a subgraph, in any environment
PRIVATE_EXTENSIONS = frozenset(
    {"exception", "exception_info", "stacktrace", "stackTrace", "traceback"}
)


def scrub_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors without stack traces in `extensions` and without field suggestions."""
    scrubbed = []
    for error in errors:
        clean = dict(error)
        if isinstance(message := clean.get("message"), str):
            clean["message"] = without_suggestion(message)
        extensions = clean.get("extensions")
        if isinstance(extensions, dict) and PRIVATE_EXTENSIONS & extensions.keys():
            clean["extensions"] = {
                k: v for k, v in extensions.items() if k not in PRIVATE_EXTENSIONS
            }
        scrubbed.append(clean)
    return scrubbed
