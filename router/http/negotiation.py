"""`Accept` header negotiation between HTML and JSON (RFC 9110 section 12.5.1)."""

from __future__ import annotations

__all__ = ["prefers_html"]

_JSON_TYPES = ("application/graphql-response+json", "application/json")


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an `Accept` header with their weights (malformed weights count as 0)."""
    ranges = []
    for item in accept.split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        if not media_range:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        ranges.append((media_range.lower(), weight))
    return ranges


def _weight(ranges: list[tuple[str, float]], media_type: str) -> float:
    """The weight of the most specific range matching `media_type` (0 when none matches)."""
    main = media_type.split("/", 1)[0]
    best: tuple[int, float] = (-1, 0.0)
    for media_range, weight in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{main}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, weight)
    return best[1]


def prefers_html(accept: str) -> bool:
    """True when `text/html` is asked for by name and weighs more than every JSON answer.

    Browsers send `text/html,...,*/*;q=0.8`; clients sending `*/*`, no `Accept` or a tie between
    HTML and JSON keep getting GraphQL over HTTP.
    """
    ranges = _ranges(accept)
    if not any(media_range == "text/html" for media_range, _ in ranges):
        return False
    html = _weight(ranges, "text/html")
    return html > 0 and all(html > _weight(ranges, media_type) for media_type in _JSON_TYPES)
