"""The default category colours: one palette for the store, importers and views.

Ten mid-brightness colours chosen to stay distinguishable (colour-blind aware) and to
keep at least 3:1 contrast on both the light and the dark timeline background
(``tests/ui/test_theme.py`` checks that).  Beyond ten, hues step by the golden angle.
"""

from __future__ import annotations

import colorsys

CATEGORY_COLORS: tuple[str, ...] = (
    "#4e7cb0",  # blue
    "#c66b14",  # orange
    "#d45356",  # red
    "#2b8c86",  # teal
    "#4c9541",  # green
    "#a67f00",  # ochre
    "#a36c98",  # mauve
    "#7d6bd1",  # violet
    "#9c755f",  # brown
    "#7b7f87",  # grey
)
#: Events without a category, among categorised ones.
NEUTRAL_COLOR = "#8a8f98"
#: Every event of a timeline that has no categories at all.
SINGLE_COLOR = CATEGORY_COLORS[0]


def category_color(index: int) -> str:
    """The default colour of the ``index``-th category (palette, then golden-angle hues)."""
    if 0 <= index < len(CATEGORY_COLORS):
        return CATEGORY_COLORS[index]
    hue = (index * 0.618_033_988_75) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.5, 0.5)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
