"""Request hygiene in production: no introspection, no field suggestions, no subgraph stack traces."""

from router.hygiene.introspection import INTROSPECTION_CODE, INTROSPECTION_MESSAGE, introspects
from router.hygiene.subgraph_errors import PRIVATE_EXTENSIONS, scrub_errors
from router.hygiene.suggestions import without_suggestion, without_suggestions

__all__ = [
    "INTROSPECTION_CODE",
    "INTROSPECTION_MESSAGE",
    "PRIVATE_EXTENSIONS",
    "introspects",
    "scrub_errors",
    "without_suggestion",
    "without_suggestions",
]
