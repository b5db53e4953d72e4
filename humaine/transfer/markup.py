"""Markdown of entries and events as safe HTML, and as plain text for search.

Parsing is markdown-it-py (CommonMark with tables; raw HTML in the text is not passed
through), and its output is cleaned by nh3 (the Ammonia sanitizer) with a short list of
tags and attributes and only ``http``, ``https`` and ``mailto`` links. Neither step is our
own escaping: the parser escapes text, the sanitizer removes what is not allowed.
"""

from functools import lru_cache
from html import unescape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "html": False makes raw HTML in the text plain text; headings start at h2 below the page's h1
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _shift_headings(html: str) -> str:
    # An entry's "# heading" sits under the page's own h1.
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(text: str) -> SafeString:
    """Return ``text`` (Markdown) as sanitised HTML, safe to put into a page."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - empty
    html = _shift_headings(_parser().render(text))
    return mark_safe(clean(html))  # noqa: S308 - sanitised by nh3 just above


def plain(text: str) -> str:
    """The words of ``text`` (Markdown) without markup, for search and summaries."""
    if not text or not text.strip():
        return ""
    html = clean(_parser().render(text))
    return " ".join(unescape(nh3.clean(html, tags=set())).split())
