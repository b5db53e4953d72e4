"""Entry Markdown never carries script: known XSS payloads render inert."""

from html.parser import HTMLParser

import pytest

from humaine.transfer import markup
from humaine.transfer.tests.factories import make_entry

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<svg><script href="data:text/javascript,alert(1)"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '![x"onerror="alert(1)](https://example.org/x.png)',
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<!--<img src=x onerror=alert(1)>-->",
    "<style>@import 'javascript:alert(1)';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<input autofocus onfocus=alert(1)>",
    "[a](<javascript:alert(1)>)",
    '<https://example.org/" onmouseover="alert(1)>',
]

PAGE_TAGS = {"article", "section", "h1", "span", "dl", "dt", "dd", "ol", "li", "time"}
PAGE_ATTRIBUTES = {"class", "id", "lang", "aria-labelledby", "aria-current", "aria-label", "role"}


class Elements(HTMLParser):
    """Every element and its attributes as a browser's parser reads them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(html: str, allowed=markup.TAGS, attributes=frozenset()) -> None:
    """Only allowed tags; no event handler; links and images only to http(s) or mail."""
    for tag, attrs in Elements(html).elements:
        assert tag in allowed, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name in {"href", "src", "alt", "title", "rel", "start"} | attributes, (tag, name)
            if name in ("href", "src"):
                assert value.strip().lower().startswith(("https:", "http:", "mailto:", "/")), value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_inert(payload):
    html = str(markup.render(f"# Titel\n\n{payload}\n\nText danach."))
    assert_inert(html)
    assert "Text danach." in html


def test_harmless_markdown_keeps_its_structure():
    html = str(
        markup.render(
            "## Schritte\n\n1. **eins**\n2. [Quelle](https://example.org)\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |"
        )
    )
    assert "<h3>Schritte</h3>" in html
    assert "<strong>eins</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<table>" in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_entry_page_shows_payload_only_as_text(client, cast, payload):
    entry = make_entry(
        cast.staff,
        body_de=payload,
        evidence_de=payload,
        sources=payload,
        summary_de=payload,
        problem_de=payload,
    )
    response = client.get(f"/knowledge/{entry.slug}/")
    assert response.status_code == 200
    article = response.content.decode().split("<article", 1)[1].split("</article>", 1)[0]
    assert_inert("<article" + article, markup.TAGS | PAGE_TAGS, PAGE_ATTRIBUTES)
