"""Clinical notes as plain text or CommonMark, rendered to HTML with any stored HTML escaped."""

from __future__ import annotations

import html
from enum import StrEnum

from markdown_it import MarkdownIt

__all__ = ["NotesFormat", "render_notes_html"]


class NotesFormat(StrEnum):
    """How a note's text is meant to be read; HTML is never one of them."""

    PLAIN = "PLAIN"
    MARKDOWN = "MARKDOWN"


# CommonMark with raw HTML disabled: tags in a note come out as escaped text, and markdown-it's
# link validation drops javascript:, vbscript:, file: and data: (non-image) URLs.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_notes_html(notes: str, notes_format: NotesFormat) -> str:
    """Safe HTML for ``notes``: Markdown rendered without raw HTML, plain text escaped."""
    if notes_format is NotesFormat.MARKDOWN:
        return str(_MARKDOWN.render(notes))
    paragraphs = [part for part in notes.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return "".join(
        "<p>" + html.escape(part).replace("\n", "<br />\n") + "</p>\n" for part in paragraphs
    )
