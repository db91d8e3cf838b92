"""Choosing the playground or GraphQL over HTTP from the `Accept` header."""

from __future__ import annotations

import pytest

from router.http.negotiation import prefers_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("application/json;q=0.5, text/html", True),
        ("", False),
        ("*/*", False),
        ("text/*", False),
        ("application/json", False),
        ("application/graphql-response+json, application/json;q=0.9", False),
        ("text/html, application/json", False),  # a tie keeps JSON
        ("text/html;q=0.5, */*", False),
        ("text/html;q=0", False),
        ("text/html;q=nonsense", False),
        ("TEXT/HTML", True),
        ("text/html, application/graphql-response+json;q=0.2", True),
        (" , text/html ; level=1", True),
    ],
)
def test_prefers_html(accept: str, expected: bool) -> None:
    assert prefers_html(accept) is expected
