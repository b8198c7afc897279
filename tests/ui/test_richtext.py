"""sanitize_html / plain_text: untrusted descriptions become safe, well-formed rich text."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.ui.richtext import (
    ALLOWED_TAGS,
    menu_text,
    plain_text,
    safe_url,
    sanitize_html,
    shown_as_written,
)

# -- helpers ---------------------------------------------------------------------------


class _Collector(HTMLParser):
    """Every start tag with its attributes, and every raw start-tag text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.raw: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.raw.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def parse_xml(out: str) -> ET.Element:
    """The output is well-formed: it parses as XML inside a wrapper element."""
    return ET.fromstring(f"<root>{out}</root>")


def assert_safe(out: str) -> None:
    lowered = out.lower()
    for needle in (
        "<script",
        "<img",
        "<style",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<link",
        "<meta",
        "<form",
        "<math",
    ):
        assert needle not in lowered
    parse_xml(out)
    collector = _Collector()
    collector.feed(out)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS
        if tag == "a":
            assert [name for name, _ in attrs] in ([], ["href"])
            for _, value in attrs:
                assert value is not None
                assert value.split(":", 1)[0].lower() in ("http", "https", "mailto")
        else:
            assert attrs == []
    # Inside tags (not text) no handler, source or style attribute can be spelled.
    markup = " ".join(collector.raw).lower()
    assert re.search(r"\s(on\w+|src|style|class)\s*=", markup) is None


DANGEROUS_LITERALS = ("<script", "javascript:", "<img", "src=", "<style")


def assert_no_dangerous_literals(source: str, out: str) -> None:
    """None of the telltale spellings appears in the output unless the input's *text*
    already said it (then it is shown escaped, as words)."""
    lowered = out.lower()
    said = html.unescape(source).lower()
    for needle in DANGEROUS_LITERALS:
        if needle.startswith("<"):
            assert needle not in lowered  # a "<" in text is always escaped
        elif needle not in said:
            assert needle not in lowered
    if re.search(r" on\w+=", said) is None:
        assert re.search(r" on\w+=", lowered) is None


DANGER = [
    "<script>",
    "</script>",
    "<script src='http://x/a.js'>",
    "alert(1)",
    "<style>",
    "</style>",
    "<img src=x onerror=alert(1)>",
    "<img src='http://e.com/p.png' alt='P'>",
    "<a href='javascript:alert(1)'>",
    '<a href="http://ok.org/?q=1&x=2">',
    "</a>",
    "<a href='jav&#x09;ascript:x'>",
    "<a href=' JaVaScRiPt:x'>",
    "<A HREF=vbscript:x>",
    "<iframe src=http://x>",
    "</iframe>",
    "<svg onload=alert(1)>",
    "</svg>",
    "<math>",
    "<object data=x>",
    "<embed src=x>",
    "<form action=x>",
    "<link rel=stylesheet href=x>",
    "<meta http-equiv=refresh content=0>",
    "<p onclick='x()' style='color:red' class=c>",
    "<b>",
    "</b>",
    "<i>",
    "</p>",
    "<p>",
    "<ul>",
    "<li>",
    "</ul>",
    "<br>",
    "<br/>",
    "<blockquote>",
    "</blockquote>",
    "<pre>",
    "<code>",
    "&amp;",
    "&lt;script&gt;",
    "&#60;",
    "&nbsp;",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    '"',
    "'",
    "=",
    "\n",
    "\n\n",
    "http://example.com/a",
    "https://x.y/(z)",
    "mailto:a@b.c",
    "javascript:",
    " onerror=",
    "<div style='background:url(http://x)'>",
    "<base href=http://x>",
    "<table><tr><td>",
    "<h1>",
    "</h1>",
    "<unknown-tag>",
    "<x:y>",
    "\x00",
    "\x0b",
    "\ufffe",
]

markup_soup = st.lists(st.one_of(st.sampled_from(DANGER), st.text(max_size=12)), max_size=30).map(
    "".join
)


# -- properties --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_arbitrary_text_is_safe_and_well_formed(text: str) -> None:
    out = sanitize_html(text)
    assert_safe(out)
    assert_no_dangerous_literals(text, out)


@settings(max_examples=600, deadline=None)
@given(markup_soup)
def test_hostile_markup_soup_is_safe_and_well_formed(text: str) -> None:
    out = sanitize_html(text)
    assert_safe(out)
    assert_no_dangerous_literals(text, out)


@settings(max_examples=300, deadline=None)
@given(markup_soup)
def test_sanitizing_is_idempotent(text: str) -> None:
    once = sanitize_html(text)
    assert sanitize_html(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_plain_text_keeps_every_word(text: str) -> None:
    """Text without markup loses nothing but whitespace: words survive, escaped."""
    out = sanitize_html(text.replace("<", " ").replace("&", " "))
    root = parse_xml(out)
    rendered = "".join(root.itertext())
    assert rendered.split() == text.replace("<", " ").replace("&", " ").split()


@settings(max_examples=300, deadline=None)
@given(markup_soup)
def test_plain_text_is_tidy(text: str) -> None:
    out = plain_text(text)
    assert out == out.strip()
    assert "\n\n\n" not in out
    assert "  " not in out
    assert "alert(1)" not in plain_text(f"<script>{text.replace('</', '')}</script>ok")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_plain_text_of_text_keeps_every_word(text: str) -> None:
    text = text.replace("<", " ").replace("&", " ")
    assert plain_text(text).split() == text.split()


# -- known-good markup survives -----------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        "<p>One <b>bold</b> and <i>italic</i>, <strong>strong</strong>, <em>em</em>.</p>",
        "<p><u>under</u> <s>struck</s> H<sub>2</sub>O x<sup>2</sup></p>",
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>",
        "<blockquote>Said <cite>someone</cite> <q>quoted</q></blockquote>",
        "<pre>  keep\n  spacing</pre><p><code>x = 1</code></p>",
        '<p>See <a href="https://example.org/page?a=1&amp;b=2">the page</a>.</p>',
        '<p><a href="mailto:press@example.org">Write to us</a></p>',
        "<div><span>plain</span></div>",
        "<p>Line<br/>break</p>",
    ],
)
def test_known_good_markup_survives_unchanged(markup: str) -> None:
    assert sanitize_html(markup) == markup


def test_headings_are_kept() -> None:
    assert sanitize_html("<h1>Big</h1><h2>Less</h2><h6>Tiny</h6>") == (
        "<h1>Big</h1><h2>Less</h2><h6>Tiny</h6>"
    )


def test_attributes_are_dropped_from_kept_tags() -> None:
    out = sanitize_html('<p class="c" style="color:red" onclick="x()" id="i">text</p>')
    assert out == "<p>text</p>"
    assert sanitize_html('<span style="x"><div onmouseover=y>z</div></span>') == (
        "<span><div>z</div></span>"
    )


# -- hostile markup -------------------------------------------------------------------------


def test_script_and_style_contents_vanish() -> None:
    out = sanitize_html("<p>Hi<script>alert('x')</script><style>p{color:red}</style>!</p>")
    assert out == "<p>Hi!</p>"
    assert "alert" not in out and "color" not in out


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "jav\nascript:alert(1)",
        "vbscript:x",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "//evil.example/x",
        "/relative",
        "#anchor",
        "http:no-host",
        "",
    ],
)
def test_unsafe_hrefs_are_dropped_but_text_kept(href: str) -> None:
    out = sanitize_html(f'<p><a href="{href}">label</a></p>')
    assert out == "<p><a>label</a></p>"


def test_tab_and_newline_in_a_safe_url_are_removed() -> None:
    assert sanitize_html('<a href="ht\ttp://exa\nmple.org">x</a>') == (
        '<a href="http://example.org">x</a>'
    )


def test_attribute_quotes_cannot_break_out() -> None:
    out = sanitize_html("<a href='http://x.org/\"onmouseover=\"alert(1)'>x</a>")
    assert_safe(out)
    assert out == '<a href="http://x.org/&quot;onmouseover=&quot;alert(1)">x</a>'


def test_image_becomes_a_link_to_its_source() -> None:
    out = sanitize_html('<img src="https://e.org/a.png" alt="A map" onerror="evil()">')
    assert out == '<a href="https://e.org/a.png">A map</a>'
    assert (
        sanitize_html('<img src="http://e.org/b.png">') == '<a href="http://e.org/b.png">image</a>'
    )


def test_image_with_unsafe_source_keeps_only_its_alt_text() -> None:
    assert sanitize_html('<p><img src="data:image/png;base64,AAAA" alt="chart"></p>') == (
        "<p>chart</p>"
    )
    assert sanitize_html('<p><img src="x.png"> kept</p>') == "<p> kept</p>"


def test_active_and_embedded_content_is_removed() -> None:
    out = sanitize_html(
        '<iframe src="http://x">frame</iframe><object data="x">obj</object>'
        '<embed src="x"><svg onload="x()"><text>svg</text></svg><math>m</math>'
        '<form action="x"><input name=q></form><link rel=stylesheet href="x">'
        '<meta http-equiv="refresh" content="0;url=http://x">kept'
    )
    assert out == "<p>kept</p>"


def test_unknown_tags_are_dropped_but_their_text_kept() -> None:
    assert sanitize_html("<p><font color=red>red</font> <blink>on</blink></p>") == ("<p>red on</p>")


def test_entities_are_decoded_and_reescaped() -> None:
    out = sanitize_html("<p>&lt;script&gt; &amp; caf&eacute; &#169; &#x2014;</p>")
    assert out == "<p>&lt;script&gt; &amp; café © —</p>"


def test_unclosed_and_misnested_tags_are_balanced() -> None:
    out = sanitize_html("<p><b>bold <i>both</b> after<ul><li>a<li>b")
    parse_xml(out)
    assert out == "<p><b>bold <i>both</i></b> after</p><ul><li>a</li><li>b</li></ul>"


def test_nested_links_are_not_nested() -> None:
    out = sanitize_html('<a href="http://a.org">one <a href="http://b.org">two</a></a>')
    assert out == '<a href="http://a.org">one </a><a href="http://b.org">two</a>'


def test_comments_and_declarations_vanish() -> None:
    assert sanitize_html("<!DOCTYPE html><!-- <script>x</script> --><b>t</b>") == "<b>t</b>"


# -- plain text -------------------------------------------------------------------------------


def test_plain_text_becomes_paragraphs_with_line_breaks() -> None:
    text = "First line\nsecond line\n\n\nSecond paragraph"
    assert sanitize_html(text) == ("<p>First line<br/>second line</p><p>Second paragraph</p>")


def test_plain_text_is_escaped() -> None:
    assert sanitize_html('a < b & c > "d"') == "<p>a &lt; b &amp; c &gt; &quot;d&quot;</p>"


def test_bare_urls_are_linkified_without_trailing_punctuation() -> None:
    out = sanitize_html("Read https://example.org/a_(b)?q=1. Or (http://x.org/y).")
    assert out == (
        '<p>Read <a href="https://example.org/a_(b)?q=1">https://example.org/a_(b)?q=1</a>. '
        'Or (<a href="http://x.org/y">http://x.org/y</a>).</p>'
    )


def test_only_http_urls_are_linkified() -> None:
    assert sanitize_html("javascript:alert(1) ftp://x.org") == (
        "<p>javascript:alert(1) ftp://x.org</p>"
    )


def test_blank_lines_in_lightly_formatted_text_are_kept() -> None:
    assert sanitize_html("<b>Note</b>\nline two\n\nnext") == (
        "<b>Note</b><br/>line two<br/><br/>next"
    )


def test_empty_input() -> None:
    assert sanitize_html("") == ""
    assert sanitize_html("  \n\n ") == ""


# -- plain_text ---------------------------------------------------------------------------------


def test_plain_text_strips_markup() -> None:
    html_text = "<p>Hello <b>world</b></p><script>x()</script><p>Two&nbsp;&amp; three</p>"
    assert plain_text(html_text) == "Hello world\nTwo & three"


def test_plain_text_of_lists_and_breaks() -> None:
    assert plain_text("<ul><li>a</li><li>b</li></ul>c<br>d") == "a\nb\nc\nd"


def test_plain_text_collapses_spaces_and_blank_lines() -> None:
    assert plain_text("  many   spaces \n\n\n\n next  ") == "many spaces\n\nnext"


def test_plain_text_of_image_is_its_alt() -> None:
    assert plain_text('<p>Look: <img src="http://x/y.png" alt="a map"></p>') == "Look: a map"


def test_safe_url() -> None:
    assert safe_url("https://example.org") == "https://example.org"
    assert safe_url(" mailto:a@b.c ") == "mailto:a@b.c"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("http://") is None
    assert safe_url("http://[::1") is None


# -- text Qt would guess the format of ---------------------------------------------------


def shown_by_qt(shown: str) -> str:
    """What a tooltip or an auto-format label shows for ``shown``."""
    from PySide6.QtGui import Qt, QTextDocument

    if not Qt.mightBeRichText(shown):
        return shown
    doc = QTextDocument()
    doc.setHtml(shown)
    return doc.toPlainText()


@pytest.mark.parametrize(
    "text",
    [
        '<img src="file://server/share/x.png">',
        "<b>Kim</b> & Putin",
        "a &amp; b",
        "line one\n<i>line two</i>",
        "two  spaces <u>kept</u>",
    ],
)
def test_shown_as_written_is_shown_as_is_and_loads_nothing(qapp, text: str) -> None:
    shown = shown_as_written(text)
    assert "<img" not in shown and "<b>" not in shown
    assert shown_by_qt(shown) == text


def test_shown_as_written_leaves_ordinary_text_alone() -> None:
    assert shown_as_written("Summit in Vladivostok\n25 April 2019") == (
        "Summit in Vladivostok\n25 April 2019"
    )
    assert shown_as_written("") == ""


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("\nÄé—“…")))
@settings(max_examples=300, deadline=None)
def test_shown_as_written_round_trips(qapp, text: str) -> None:
    # Qt drops blank lines at the very start and end of rich text; nothing else changes.
    assert shown_by_qt(shown_as_written(text)).strip("\n") == text.strip("\n")


def test_menu_text_doubles_every_ampersand() -> None:
    assert menu_text("R&D && more") == "R&&D &&&& more"
    assert menu_text("Summit") == "Summit"
