"""Markdown to HTML for texts that coordinators and administrators write (raw HTML is escaped, never passed on)."""

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    return _md.render(text or "")
