"""CSRF prevention as Apollo Router's (https://www.apollographql.com/docs/graphos/routing/security/csrf)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from router.pipeline.request import RequestError

__all__ = ["CSRF_CODE", "check_csrf", "preflighted"]

CSRF_CODE = "CSRF_ERROR"
# what a browser sends cross-origin without a CORS preflight (Fetch standard, "CORS-safelisted")
_SIMPLE = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})


def preflighted(headers: Mapping[str, str], required: Iterable[str]) -> bool:
    """Whether a browser had to preflight this request: its Content-Type is not a simple one,
    or it carries one of the `required` headers (GET requests have no Content-Type)."""
    content_type = headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in _SIMPLE:
        return True
    return any(name in headers for name in required)


def check_csrf(headers: Mapping[str, str], required: Iterable[str]) -> None:
    """Refuse (HTTP 400 `CSRF_ERROR`) a request a cross-site form or link could have sent."""
    names = tuple(required)
    if not preflighted(headers, names):
        raise RequestError(
            "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). "
            "Send a Content-Type other than application/x-www-form-urlencoded, "
            "multipart/form-data or text/plain, or one of these headers: " + ", ".join(names),
            CSRF_CODE,
        )
