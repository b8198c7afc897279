"""Turn untrusted description text into safe rich text, and rich text into plain text.

Descriptions come from imported files (TimelineJS slides, ``.timeline`` XML, CSV
sheets…) and may hold anything: harmless formatting, links, but also scripts, images
that would be fetched, event handlers or styles.  :func:`sanitize_html` keeps an
allowlist of formatting tags and ``http``/``https``/``mailto`` links and nothing that
loads or runs, and always returns well-formed markup (every tag closed, ``<br/>`` for
line breaks, all text escaped), so the result parses as XML inside a wrapper element.

Headlines, category names and file names go into widgets that guess their format or
read "&" as a mnemonic; :func:`shown_as_written` and :func:`menu_text` make Qt show
them exactly as written.

Pure Python (``html.parser`` from the standard library); no Qt, so it is testable and
usable anywhere (search snippets, exporters).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

__all__ = [
    "ALLOWED_SCHEMES",
    "ALLOWED_TAGS",
    "DESCRIPTION_SHOWN",
    "ONE_LINE_INPUT",
    "description_html",
    "menu_text",
    "plain_head",
    "plain_text",
    "safe_url",
    "sanitize_html",
    "shown_as_written",
    "styled_html",
]

#: Link schemes that may be kept in an ``href`` (opened only when clicked).
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

# Source tag → tag emitted (the viewer's style sheet keeps headings modest).
_TAG_MAP: dict[str, str] = {
    **{
        t: t
        for t in (
            "p",
            "b",
            "strong",
            "i",
            "em",
            "u",
            "s",
            "sub",
            "sup",
            "ul",
            "ol",
            "li",
            "blockquote",
            "cite",
            "q",
            "code",
            "pre",
            "span",
            "div",
            "a",
        )
    },
    **{f"h{n}": f"h{n}" for n in range(1, 7)},
    "strike": "s",
    "del": "s",
    "ins": "u",
    "tt": "code",
    "kbd": "code",
    "samp": "code",
    "var": "i",
    "dfn": "i",
    "mark": "b",
    # Structural tags we do not support as such: keep their text on its own lines.
    **{
        t: "div"
        for t in (
            "section",
            "article",
            "header",
            "footer",
            "main",
            "nav",
            "aside",
            "figure",
            "figcaption",
            "address",
            "details",
            "summary",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "caption",
            "dl",
            "dt",
            "dd",
            "center",
        )
    },
}
#: Tags that can appear in :func:`sanitize_html` output.
ALLOWED_TAGS = frozenset(_TAG_MAP.values()) | {"br"}

# Tags whose whole content is dropped, not just the tag.
_DROP_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "noscript",
        "head",
        "title",
        "frameset",
        "noembed",
        "noframes",
        "select",
        "textarea",
        "applet",
        "audio",
        "video",
        "canvas",
        "map",
    }
)
# Void elements of HTML: they have no end tag and never go on the stack.
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "basefont",
        "frame",
        "isindex",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
# Inputs holding any of these are laid out by their tags; without them, blank lines
# in the text are taken as paragraph breaks (many files mix plain text and <b>).
_LAYOUT_TAGS = frozenset(
    {
        "p",
        "br",
        "div",
        "ul",
        "ol",
        "li",
        "pre",
        "blockquote",
        "table",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "dl",
        "hr",
    }
)
# Cells only need a gap between them.
_CELL_TAGS = frozenset({"td", "th"})

_TAG_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9:-]*(?:[\s/][^<>]*)?>|!--|!\[CDATA\[|![A-Za-z])")
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?'\")]}>*"
# Characters XML 1.0 forbids (and Qt shows as boxes): C0 controls but tab/LF/CR,
# lone surrogates and the two non-characters U+FFFE/U+FFFF.
_INVALID_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_URL_JUNK_RE = re.compile(r"[\x00-\x20\x7f]+")
_BLANK_LINES_RE = re.compile(r"\n[ \t\f\v]*\n\s*")
_SPACES_RE = re.compile(r"[^\S\n]+")
# Marks a block boundary while extracting text; _clean_text removes it from any input.
_BLOCK_MARK = "\x01"
_BLOCK_RUN_RE = re.compile(r"[^\S\n]*\x01[\s\x01]*")


def _clean_text(text: str) -> str:
    return _INVALID_CHARS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def safe_url(url: str) -> str | None:
    """``url`` without whitespace/control characters if its scheme is allowed, else None.

    Browsers ignore tabs and newlines inside URLs ("jav\\tascript:"), so they are
    removed before the scheme is looked at, and the cleaned URL is what is kept.
    """
    cleaned = _URL_JUNK_RE.sub("", _clean_text(url))
    if not cleaned:
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    return cleaned


def _split_url(match_text: str) -> tuple[str, str]:
    """Split a matched bare URL into (url, trailing punctuation that is not part of it)."""
    url = match_text
    while url and url[-1] in _TRAILING_PUNCT:
        # Keep a closing bracket that closes one opened inside the URL (Wikipedia links).
        closer = url[-1]
        opener = {")": "(", "]": "[", "}": "{"}.get(closer)
        if opener is not None and url.count(opener) >= url.count(closer):
            break
        url = url[:-1]
    return url, match_text[len(url) :]


def _linkify(text: str) -> str:
    """Escape ``text``, turning bare http(s) URLs into links."""
    out: list[str] = []
    pos = 0
    for m in _URL_RE.finditer(text):
        url, rest = _split_url(m.group())
        target = safe_url(url)
        out.append(_escape(text[pos : m.start()]))
        if target is None:
            out.append(_escape(url))
        else:
            out.append(f'<a href="{_escape(target)}">{_escape(url)}</a>')
        out.append(_escape(rest))
        pos = m.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def _plain_to_html(text: str) -> str:
    paragraphs = [p.strip("\n") for p in _BLANK_LINES_RE.split(text.strip())]
    parts = []
    for para in paragraphs:
        if not para.strip():
            continue
        lines = [_linkify(line) for line in para.split("\n")]
        parts.append("<p>" + "<br/>".join(lines) + "</p>")
    return "".join(parts)


@dataclass(slots=True)
class _Text:
    data: str
    in_link: bool
    in_pre: bool

    def render(self, *, breaks: bool) -> str:
        """Escaped text, bare URLs linked outside links, newlines as breaks if asked."""
        escape = _escape if self.in_link else _linkify
        if not breaks or self.in_pre:
            return escape(self.data)
        lines = _BLANK_LINES_RE.sub("\n\n", self.data).split("\n")
        return "<br/>".join(escape(line) for line in lines)


#: Tags open at once that a description keeps: deeper ones keep their text only.
MAX_NESTING = 16


class _Sanitizer(HTMLParser):
    """Rebuild a document from the allowed parts of the parsed input."""

    def __init__(self, max_items: int | None = None, *, flatten: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        # Markup as strings; text as _Text, rendered at the end once we know whether
        # the input laid itself out with tags or relies on blank lines.
        self._out: list[str | _Text] = []
        # list items kept at most (Qt lays out a list in time that grows with the
        # square of its items): the rest of the input is left out, ``stopped`` says so;
        # or, with ``flatten``, kept as paragraphs with a bullet
        self._max_items = max_items
        self._flatten = flatten
        self._items = 0
        self.stopped = False
        self._stack: list[str] = []  # emitted tags still open, innermost last
        # where each tag is open in the stack (ascending): finding the innermost open
        # one, or whether one is open, costs the same at any depth (no scan)
        self._where: dict[str, list[int]] = {}
        self._skip: list[str] = []  # dropped-content tags we are inside
        self._has_layout = False

    # -- output helpers --------------------------------------------------------------

    def _open(self, tag: str, attrs: str = "") -> None:
        if len(self._stack) >= MAX_NESTING:
            return  # deeper than any document needs: its text is kept, the tag is not
        self._out.append(f"<{tag}{attrs}>")
        self._where.setdefault(tag, []).append(len(self._stack))
        self._stack.append(tag)

    def _close_to(self, index: int) -> None:
        """Close every open tag from the innermost down to ``self._stack[index]``."""
        while len(self._stack) > index:
            tag = self._stack.pop()
            self._where[tag].pop()
            self._out.append(f"</{tag}>")

    def _is_open(self, tag: str) -> bool:
        return bool(self._where.get(tag))

    def _last(self, *tags: str) -> int | None:
        found = [where[-1] for t in tags if (where := self._where.get(t))]
        return max(found) if found else None

    def result(self) -> str:
        self.close()
        self._close_to(0)
        texts = [item for item in self._out if isinstance(item, _Text)]
        if not self._has_layout and texts:
            # Leading/trailing newlines of the whole text must not become breaks.
            texts[0].data = texts[0].data.lstrip(" \t\n\f")
            texts[-1].data = texts[-1].data.rstrip(" \t\n\f")
        return "".join(
            item if isinstance(item, str) else item.render(breaks=not self._has_layout)
            for item in self._out
        )

    # -- parser callbacks -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self.stopped:
            return
        if self._skip:
            if tag in _DROP_CONTENT and tag not in _VOID:
                self._skip.append(tag)
            return
        if tag in _DROP_CONTENT:
            self._skip.append(tag)
            return
        if tag == "li" and self._max_items is not None:
            self._items += 1
            if self._items > self._max_items:
                if not self._flatten:
                    self.stopped = True
                    return
                self._out.append("<br/>\u2022 ")  # an item as a line: no list to lay out
                return
        if tag in _LAYOUT_TAGS:
            self._has_layout = True
        if tag in ("br", "hr"):
            self._out.append("<br/>")
            return
        if tag == "img":
            self._image(dict(attrs))
            return
        if tag in _CELL_TAGS:
            self._out.append(" ")
            return
        mapped = _TAG_MAP.get(tag)
        if mapped is None:
            return  # unknown tag: dropped, its text kept
        if mapped in _BLOCK:
            # A block ends an open paragraph, as in HTML ("<p>a<ul>…" or "<p>a<p>b").
            p = self._last("p")
            container = self._last("ul", "ol", "blockquote", "div", "li", "pre")
            if p is not None and (container is None or p > container):
                self._close_to(p)
        if mapped == "li":
            li = self._last("li")
            lst = self._last("ul", "ol")
            if li is not None and (lst is None or li > lst):
                self._close_to(li)
        if mapped == "a":
            outer = self._last("a")
            if outer is not None:
                self._close_to(outer)
            href = next((v for k, v in attrs if k.lower() == "href" and v is not None), None)
            target = safe_url(href) if href is not None else None
            # An <a> without a usable href is still pushed, so its end tag pairs up;
            # it renders as plain text.
            self._open("a", f' href="{_escape(target)}"' if target else "")
            return
        self._open(mapped)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self._skip or tag in _DROP_CONTENT:
            return  # "<svg/>" and the like: nothing to drop, nothing to show
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.stopped:
            return
        if self._skip:
            if tag in self._skip:
                while self._skip.pop() != tag:
                    pass
            return
        if tag in _CELL_TAGS:
            self._out.append(" ")
            return
        if tag == "p" and not self._is_open("p"):
            self._out.append("<br/>")  # a stray </p> is a break in browsers too
            return
        mapped = _TAG_MAP.get(tag)
        if mapped is None:
            return
        index = self._last(mapped)
        if index is not None:
            self._close_to(index)

    def handle_data(self, data: str) -> None:
        if self._skip or not data or self.stopped:
            return
        self._out.append(_Text(data, in_link=self._is_open("a"), in_pre=self._is_open("pre")))

    def _image(self, attrs: dict[str, str | None]) -> None:
        alt = (attrs.get("alt") or "").strip()
        src = safe_url(attrs.get("src") or "")
        label = alt
        if (
            src is not None
            and src.lower().startswith(("http:", "https:"))
            and not self._is_open("a")
        ):
            label = f'<a href="{_escape(src)}">{_escape(alt or "image")}</a>'
        elif alt:
            label = _escape(alt)
        if not label:
            return
        # Keep the stand-in from gluing onto the word before it ("Asia.photo").
        last = self._out[-1] if self._out else None
        if isinstance(last, _Text) and last.data and not last.data[-1].isspace():
            self._out.append(" ")
        self._out.append(label)

    # Comments, doctypes, processing instructions and CDATA sections are dropped.
    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        return

    def handle_pi(self, data: str) -> None:
        return

    def unknown_decl(self, data: str) -> None:
        return


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds at least one tag (or comment) and so is taken as HTML."""
    return _TAG_RE.search(text) is not None


def sanitize_html(text: str) -> str:
    """Safe, well-formed rich text for a ``QTextBrowser`` from untrusted ``text``.

    Text with tags keeps only formatting and ``http``/``https``/``mailto`` links;
    ``script``/``style`` (and other active or embedded content) vanish with their
    contents, unknown tags vanish but keep their text, ``img`` becomes a link to its
    source labelled with its alt text.  Text without tags becomes paragraphs (split
    on blank lines, line breaks kept) with bare URLs made into links.
    """
    return _sanitized(text)[0]


def _sanitized(
    text: str, max_items: int | None = None, *, flatten: bool = False
) -> tuple[str, bool]:
    """:func:`sanitize_html` of ``text``, and whether it stopped at ``max_items`` list
    items (leaving the rest out; with ``flatten``, they are lines with a bullet)."""
    text = _clean_text(text)
    if not text.strip():
        return "", False
    if not looks_like_html(text):
        return _plain_to_html(html.unescape(text)), False
    parser = _Sanitizer(max_items, flatten=flatten)
    parser.feed(text)
    out = parser.result()
    if "<" not in out:
        # Nothing but text survived ("<!-- unterminated", "<font>x</font>"): lay it
        # out as plain text, so that sanitizing the result again changes nothing.
        return _plain_to_html(html.unescape(out)), parser.stopped
    return out, parser.stopped


#: Characters of a description shown at first: more is shown when asked for.
DESCRIPTION_SHOWN = 20_000


def plain_head(text: str) -> str:
    """The words of a description's first :data:`DESCRIPTION_SHOWN` characters (what a
    slide can show of it)."""
    return plain_text(text[:DESCRIPTION_SHOWN])


#: List items of a description shown at first (Qt lays a list out in a time that
#: grows with the square of its items: 1,000 take about 30 ms, 4,000 half a second).
LIST_ITEMS_SHOWN = 1000


def description_html(text: str, limit: int | None = DESCRIPTION_SHOWN) -> tuple[str, bool]:
    """``sanitize_html`` of a description's first ``limit`` characters and at most
    :data:`LIST_ITEMS_SHOWN` list items, and whether it was cut (``None``: all of it,
    the list items past those as lines with a bullet)."""
    if limit is None:  # all of it: the items past the first are lines, not a list
        return _sanitized(text, LIST_ITEMS_SHOWN, flatten=True)[0], False
    out, stopped = _sanitized(text[:limit], LIST_ITEMS_SHOWN)
    return out, stopped or len(text) > limit


class _DropsContent(HTMLParser):
    """A parser that reads past what dropped-content tags (``script``, ``style`` …)
    hold: its subclasses collect ``parts`` from the rest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []  # dropped-content tags we are inside

    def _skips_start(self, tag: str) -> bool:
        """Whether start tag ``tag`` (lower case) is dropped with what it holds."""
        if tag in _DROP_CONTENT and tag not in _VOID:
            self._skip.append(tag)
        return bool(self._skip)

    def _skips_end(self, tag: str) -> bool:
        """Whether end tag ``tag`` (lower case) is inside dropped content (or ends it)."""
        if not self._skip:
            return False
        if tag in self._skip:
            while self._skip and self._skip.pop() != tag:
                pass
        return True


class _TextExtractor(_DropsContent):
    _BLOCK_TAGS = frozenset(
        {
            "p",
            "div",
            "li",
            "ul",
            "ol",
            "blockquote",
            "pre",
            "tr",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "header",
            "footer",
            "dt",
            "dd",
            "figcaption",
            "caption",
            "nav",
            "aside",
            "main",
            "figure",
            "address",
            "details",
            "summary",
            "center",
        }
    )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self._skips_start(tag):
            return
        if tag in ("br", "hr"):
            self.parts.append("\n")
        elif tag in self._BLOCK_TAGS:
            self.parts.append(_BLOCK_MARK)
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in _DROP_CONTENT:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self._skips_end(tag):
            return
        if tag in self._BLOCK_TAGS:
            self.parts.append(_BLOCK_MARK)
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def plain_text(html_text: str) -> str:
    """Readable text of rich text: tags and scripts gone, entities decoded.

    Block ends become line breaks (at most one blank line in a row); spaces inside a
    line are collapsed.  Meant for headlines, tooltips and search snippets; join the
    lines with spaces for a one-line form.
    """
    text = _clean_text(html_text)
    if not looks_like_html(text):
        raw = html.unescape(text)
    else:
        extractor = _TextExtractor()
        extractor.feed(text)
        extractor.close()
        # Any run of block boundaries (and the spaces around them) is one line break.
        raw = _BLOCK_RUN_RE.sub("\n", "".join(extractor.parts))
    lines = [_SPACES_RE.sub(" ", line).strip() for line in raw.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def one_line(text: str) -> str:
    """A headline or name for a one-line place (a timeline label, a list row, a
    window title): its words as plain text, tags gone, ``<br>`` and line breaks as
    spaces, entities decoded (of its first :data:`ONE_LINE_INPUT` characters, then
    "…", for a longer one).  Text without ``<`` or ``&`` only has its spaces
    collapsed, so most headlines cost one scan."""
    text, cut = _head(text)
    if "<" not in text and "&" not in text:
        return " ".join(text.split()) + cut
    return " ".join(plain_text(text).split()) + cut


#: Characters of a headline or name that one-line places read: a label, a list cell,
#: a window title shows far less, and a 10 MB headline must not be laid out whole.
ONE_LINE_INPUT = 4000


def _head(text: str, limit: int = ONE_LINE_INPUT) -> tuple[str, str]:
    """``(text, "")``, or its first ``limit`` characters and "…" when it is longer."""
    return (text, "") if len(text) <= limit else (text[:limit], "\u2026")


#: Tags a headline keeps where it is shown as rich text (the detail panel, a slide):
#: type styles only, written back without attributes.
_INLINE_TAGS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "cite": "i",
    "u": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "sub": "sub",
    "sup": "sup",
    "small": "small",
}


class _InlineExtractor(_DropsContent):
    """A headline's text with its type styles: every other tag becomes a space (block
    ends, ``<br>``) or nothing, and text is escaped, so no tag ever loads or runs."""

    def __init__(self) -> None:
        super().__init__()
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self._skips_start(tag):
            return
        if tag in _INLINE_TAGS:
            self._open.append(_INLINE_TAGS[tag])
            self.parts.append(f"<{_INLINE_TAGS[tag]}>")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(html.escape(alt, quote=False))
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in _INLINE_TAGS or tag.lower() in _DROP_CONTENT:
            return  # "<b/>" styles nothing
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self._skips_end(tag):
            return
        name = _INLINE_TAGS.get(tag)
        if name is not None and name in self._open:
            while self._open:  # close what was opened inside it, then it
                inner = self._open.pop()
                self.parts.append(f"</{inner}>")
                if inner == name:
                    break
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        tail = "".join(f"</{name}>" for name in reversed(self._open))
        return "".join(self.parts) + tail


#: Tags that part words: a line break, a block's ends, a table cell's.
_BREAKS = frozenset({"br", "hr", *_TextExtractor._BLOCK_TAGS, *_CELL_TAGS})


def inline_html(text: str) -> str:
    """A headline as one-line rich text: its words (as :func:`one_line` gives them)
    with bold, italic, underline, strike, sub- and superscript kept, for a label that
    shows rich text.  Nothing else survives: no link, no image, no style."""
    text, cut = _head(_clean_text(text))
    if not looks_like_html(text):
        return html.escape(" ".join(html.unescape(text).split()), quote=False) + cut
    parser = _InlineExtractor()
    parser.feed(text)
    out = parser.result()
    return re.sub(r"\s+", " ", out).strip() + cut


def styled_html(text: str) -> str:
    """A headline's :func:`inline_html` when it has type styles of its own (bold,
    italic…), ``""`` when it is plain words (draw :func:`one_line` then)."""
    if "<" not in text:
        return ""
    rich = inline_html(text)
    return "" if rich == html.escape(one_line(text), quote=False) else rich


def shown_as_written(text: str) -> str:
    """``text`` for a Qt tooltip or an auto-format label, shown exactly as written.

    Qt takes such text for rich text when it merely looks like markup
    (``Qt::mightBeRichText``), and rich text loads the images it names, local files
    and network shares included.  Headlines, category names and error messages come
    from imported files, so text with markup characters is escaped (keeping its
    spaces and line breaks); other text is returned unchanged.
    """
    if "<" not in text and "&" not in text:
        return text
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def menu_text(text: str) -> str:
    """``text`` for a menu entry or a button, shown as written: a single "&" marks
    the mnemonic there ("R&D" would show "RD"), so every "&" is doubled."""
    return text.replace("&", "&&")
