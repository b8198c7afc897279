"""DetailPanel: shows an event safely, opens only safe links and only when clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication

from viewer.model.dates import PartialDate, Qualifier
from viewer.model.event import Category, Event
from viewer.ui.detail import (
    EMPTY_MESSAGE,
    DetailPanel,
    SafeTextBrowser,
    muted_color,
)
from viewer.ui.richtext import shown_as_written
from viewer.ui.theme import contrast_text

# Showing a top-level widget with a layout on the offscreen platform logs this warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

DIPLOMACY = Category("Diplomacy", "#4e79a7", id=1)


def make_event(**changes: object) -> Event:
    base = Event(
        title="Putin and Kim meet in Vladivostok",
        start=PartialDate(2019, 4, 25),
        description="<p>Their <b>first summit</b>, see <a href='https://example.org/x'>report</a>.</p>",
        category="Diplomacy",
        tags=("summit", "putin"),
        source_url="https://example.org/source",
        id=3,
    )
    return base.evolve(**changes)


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def panel(qtbot, opened: list[QUrl]) -> DetailPanel:
    widget = DetailPanel(open_url=opened.append)
    qtbot.addWidget(widget)
    widget.resize(420, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_starts_in_a_friendly_empty_state(panel: DetailPanel) -> None:
    assert panel.is_empty()
    assert panel.current_event() is None
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_MESSAGE
    assert not panel.edit_button.isVisible()


def test_shows_headline_date_category_tags_and_description(panel: DetailPanel) -> None:
    event = make_event()
    panel.show_event(event, DIPLOMACY)
    assert not panel.is_empty()
    assert panel.current_event() == event
    assert panel.headline_label.isVisible()
    assert panel.headline_label.text() == "Putin and Kim meet in Vladivostok"
    assert panel.date_label.text() == "25 April 2019"
    assert not panel.display_date_label.isVisible()  # no display date given
    chips = panel.chips.chips()
    assert [c.text for c in chips] == ["Diplomacy", "summit", "putin"]
    assert chips[0].color == QColor("#4e79a7")
    assert chips[1].color is None
    text = panel.description.toPlainText()
    assert "Their first summit, see report." in text
    assert "Source: https://example.org/source" in text
    assert panel.edit_button.isVisible()


def test_display_date_is_shown_only_when_it_differs(panel: DetailPanel) -> None:
    event = make_event(
        start=PartialDate(2024, 5, 16), end=PartialDate(2024, 5, 17), display_date="May 16-17, 2024"
    )
    panel.show_event(event, DIPLOMACY)
    assert panel.date_label.text() == "16–17 May 2024"
    assert panel.display_date_label.isVisible()
    assert panel.display_date_label.text() == "Display date: \u201cMay 16-17, 2024\u201d"

    panel.show_event(event.evolve(display_date="16-17 May 2024"), DIPLOMACY)
    assert not panel.display_date_label.isVisible()


def test_a_qualified_date_says_what_its_marks_mean(panel: DetailPanel) -> None:
    event = make_event(
        start=PartialDate(1450, qualifier=Qualifier.APPROXIMATE),
        end=PartialDate(1500, qualifier=Qualifier.AFTER),
    )
    panel.show_event(event, DIPLOMACY)
    assert panel.date_label.text() == "c. 1450 – after 1500"
    note = "The start is approximate; the end is open (it may be later)"
    assert panel.date_label.toolTip() == note
    assert panel.date_label.accessibleDescription() == note
    panel.show_event(make_event(start=PartialDate(1455, qualifier=Qualifier.UNCERTAIN)), DIPLOMACY)
    assert panel.date_label.text() == "1455?"
    assert panel.date_label.toolTip() == "The date is uncertain"
    panel.show_event(make_event(start=PartialDate(1455)), DIPLOMACY)
    assert panel.date_label.toolTip() == ""


def test_display_date_is_muted(panel: DetailPanel) -> None:
    muted = panel.display_date_label.palette().color(QPalette.ColorRole.WindowText)
    normal = panel.date_label.palette().color(QPalette.ColorRole.WindowText)
    assert muted != normal
    assert muted == muted_color(panel.palette())


def test_script_in_description_never_reaches_the_browser(panel: DetailPanel) -> None:
    event = make_event(
        description=(
            "<p>Safe text</p><script>alert('owned')</script>"
            "<p onclick='steal()'>more <a href='javascript:alert(1)'>link</a></p>"
            "<img src='http://tracker.example/pixel.gif' onerror='x()'>"
        )
    )
    panel.show_event(event, DIPLOMACY)
    html = panel.description.toHtml()
    assert "<script" not in html.lower()
    assert "alert" not in html
    assert "javascript:" not in html
    assert "onclick" not in html and "onerror" not in html
    assert "<img" not in html.lower()
    text = panel.description.toPlainText()
    assert "Safe text" in text and "more link" in text
    assert panel.description.resource_requests == []


def test_plain_text_description_gets_paragraphs_and_links(panel: DetailPanel) -> None:
    panel.show_event(
        make_event(description="One line\nnext line\n\nSee https://example.org/a."), DIPLOMACY
    )
    doc = panel.description.document()
    assert doc.blockCount() >= 3
    assert 'href="https://example.org/a"' in panel.description.toHtml()


def test_browser_never_loads_resources_even_if_given_markup_directly(qtbot) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(
        '<img src="http://example.com/remote.png"><img src="file:///etc/hostname">'
        '<link rel="stylesheet" href="http://example.com/x.css">text'
    )
    browser.resize(300, 200)
    browser.grab()  # lay out and paint: this is when images would be loaded
    requested = {url.toString() for url in browser.resource_requests}
    assert "http://example.com/remote.png" in requested
    doc = browser.document()
    assert (
        doc.resource(
            QTextDocument.ResourceType.ImageResource, QUrl("http://example.com/remote.png")
        )
        is None
    )
    assert not browser.openLinks()
    assert not browser.openExternalLinks()


def test_browser_does_not_navigate(qtbot) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml("<p>kept</p>")
    browser.setSource(QUrl("https://example.org/elsewhere"))
    assert browser.toPlainText() == "kept"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "ftp://example.org/"],
)
def test_unsafe_links_are_never_opened(
    panel: DetailPanel, opened: list[QUrl], qtbot, url: str
) -> None:
    panel.show_event(make_event(), DIPLOMACY)
    with qtbot.assertNotEmitted(panel.linkActivated):
        panel.description.anchorClicked.emit(QUrl(url))
    assert opened == []


@pytest.mark.parametrize("url", ["https://example.org/x", "http://example.org/", "mailto:a@b.org"])
def test_safe_links_open_when_clicked(
    panel: DetailPanel, opened: list[QUrl], qtbot, url: str
) -> None:
    panel.show_event(make_event(), DIPLOMACY)
    assert opened == []  # showing an event opens nothing
    with qtbot.waitSignal(panel.linkActivated) as blocker:
        panel.description.anchorClicked.emit(QUrl(url))
    assert blocker.args == [QUrl(url)]
    assert opened == [QUrl(url)]


def test_source_and_media_are_links_never_embedded(panel: DetailPanel) -> None:
    event = make_event(
        extra={"media": {"url": "https://www.youtube.com/watch?v=abc", "caption": "<b>Arrival</b>"}}
    )
    panel.show_event(event, DIPLOMACY)
    html = panel.description.toHtml()
    assert 'href="https://example.org/source"' in html
    assert 'href="https://www.youtube.com/watch?v=abc"' in html
    assert "Media: https://www.youtube.com/watch?v=abc — Arrival" in panel.description.toPlainText()
    assert panel.description.resource_requests == []


def test_unsafe_media_url_is_shown_as_text(panel: DetailPanel) -> None:
    event = make_event(
        source_url="javascript:alert(1)", extra={"media": {"url": "file:///etc/passwd"}}
    )
    panel.show_event(event, DIPLOMACY)
    html = panel.description.toHtml()
    assert "javascript:" in panel.description.toPlainText()  # shown as words
    assert 'href="javascript:' not in html
    assert 'href="file:' not in html


def test_odd_media_values_are_ignored(panel: DetailPanel) -> None:
    for extra in ({"media": "not a dict"}, {"media": {"url": 42}}, {"media": None}):
        panel.show_event(make_event(source_url="", extra=extra), DIPLOMACY)
        assert "Media:" not in panel.description.toPlainText()


def test_missing_description_and_category(panel: DetailPanel) -> None:
    panel.show_event(make_event(description="", category=None, tags=(), source_url=""), None)
    assert panel.chips.chips() == []
    assert not panel.chips.isVisible()
    assert panel.description.toPlainText().strip() == "No description"


def test_category_without_known_colour_still_gets_a_chip(panel: DetailPanel) -> None:
    panel.show_event(make_event(category="Unlisted"), None)
    chip = panel.chips.chips()[0]
    assert chip.text == "Unlisted"
    assert chip.color is not None and chip.color.isValid()


def test_clear_returns_to_the_empty_state(panel: DetailPanel) -> None:
    panel.show_event(make_event(), DIPLOMACY)
    panel.clear()
    assert panel.is_empty()
    assert panel.empty_label.isVisible()
    assert not panel.headline_label.isVisible()
    assert panel.description.toPlainText() == ""


def test_edit_button_emits_and_can_be_hidden(panel: DetailPanel, qtbot) -> None:
    from PySide6.QtCore import Qt

    panel.show_event(make_event(), DIPLOMACY)
    with qtbot.waitSignal(panel.editRequested):
        qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    panel.set_editable(False)
    assert not panel.edit_button.isVisible()
    assert not panel.edit_button.isEnabled()
    panel.show_event(make_event(title="Another"), DIPLOMACY)
    assert not panel.edit_button.isVisible()
    panel.set_editable(True)
    assert panel.edit_button.isVisible()


def test_long_description_scrolls(panel: DetailPanel) -> None:
    long = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(60))
    panel.show_event(make_event(description=long), DIPLOMACY)
    QApplication.processEvents()
    assert panel.description.verticalScrollBar().maximum() > 0
    assert panel.height() <= 520


def test_headline_markup_keeps_its_type_styles_only(panel: DetailPanel) -> None:
    """Bold and italic show as such; scripts, images, links and styles never do."""
    title = (
        '<b>Bold</b> &amp; <script>x</script><i>plain</i><img src="file:/x">'
        '<a href="http://example.com">link</a><span style="color:red">red</span><br>end'
    )
    panel.show_event(make_event(title=title), DIPLOMACY)
    label = panel.headline_label
    assert label.textFormat() == Qt.TextFormat.RichText
    assert label.text() == "<b>Bold</b> &amp; <i>plain</i>linkred end"
    doc = QTextDocument()
    doc.setHtml(label.text())
    assert doc.toPlainText() == "Bold & plainlinkred end"
    assert "\ufffc" not in doc.toPlainText()  # no image object
    assert label.toolTip() == shown_as_written("Bold & plainlinkred end")
    panel.show_event(make_event(title="<b> </b><script>x</script>"), DIPLOMACY)
    assert label.text() == "(untitled)"  # no words: not an empty bold run


def test_follows_a_dark_palette(panel: DetailPanel) -> None:
    light_muted = panel.empty_label.palette().color(QPalette.ColorRole.WindowText)
    dark = QPalette(panel.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#171717"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    panel.setPalette(dark)
    panel.show_event(make_event(), DIPLOMACY)
    assert panel.headline_label.palette().color(QPalette.ColorRole.WindowText) == QColor("#e8eaed")
    dark_muted = panel.display_date_label.palette().color(QPalette.ColorRole.WindowText)
    assert dark_muted != light_muted
    assert dark_muted.lightnessF() > 0.4  # readable on the dark window
    browser_pal = panel.description.palette()
    assert browser_pal.color(QPalette.ColorRole.Text) == QColor("#e8eaed")


@pytest.mark.parametrize(
    ("background", "text"),
    [
        ("#ffffff", "#000000"),
        ("#edc948", "#000000"),
        ("#000000", "#ffffff"),
        ("#4e79a7", "#000000"),
        ("#e15759", "#000000"),
        ("not a colour", "#000000"),
    ],
)
def test_chip_text_contrasts_with_its_colour(background: str, text: str) -> None:
    assert contrast_text(background).name() == text
