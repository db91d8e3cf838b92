"""Notes render as safe HTML: stored HTML is escaped, never rendered or executed."""

from __future__ import annotations

from subgraphs.clinical.records.notes import NotesFormat, render_notes_html


def test_markdown_renders_but_raw_html_is_escaped() -> None:
    notes = "# Plan\n\n**Rest**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>"
    rendered = render_notes_html(notes, NotesFormat.MARKDOWN)
    assert "<h1>Plan</h1>" in rendered
    assert "<strong>Rest</strong>" in rendered
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_markdown_links_with_script_urls_are_not_links() -> None:
    rendered = render_notes_html("[click](javascript:alert(1))", NotesFormat.MARKDOWN)
    assert "href" not in rendered


def test_plain_text_is_escaped_with_paragraphs_and_line_breaks() -> None:
    rendered = render_notes_html("BP <140>\nstable\n\nreview in 2w", NotesFormat.PLAIN)
    assert rendered == "<p>BP &lt;140&gt;<br />\nstable</p>\n<p>review in 2w</p>\n"
