"""Tick marks for any time scale: calendar ticks on a linear axis, decades of years on a
logarithmic one.  Pure Python (no Qt), like :mod:`viewer.ui.timeline.ticks`.

:func:`scale_ticks` takes a range of axis coordinates (:class:`TimeScale`) and returns
levels of ``(axis coordinate, label)`` as :func:`calendar_ticks` does.  On a
logarithmic scale the ticks are whole decades of years before the reference, labelled
the way people say them ("13.8 billion years ago" style: "1 billion years ago",
"100 million years ago", "10,000 years ago", "100 years ago", "1 year ago", "now",
"in 10 years"), thinned to every second, third… decade when zoomed out, with 2 and 5
between them when zoomed in.  Zoomed in far enough that the scale is nearly linear
there (a few centuries around 1500, a month of last year), the calendar's own ticks
are laid along the curve instead.  Labels never overlap: one that would is left
blank, and one that would stick out of the axis too.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from viewer.model.time_scale import TimeScale
from viewer.ui.timeline.ticks import LABEL_GAP_PX, TickLevel, calendar_ticks, estimate_text_width

__all__ = ["amount_text", "scale_ticks", "years_label"]

_LN10 = math.log(10.0)
#: Decades of years a tick may be at: 1 year to a trillion years either side.
_MAX_DECADE = 12
#: Decade steps tried when whole decades are too close (every 2nd, 3rd… decade).
_DECADE_STEPS = (1, 2, 3, 5, 10)
#: Fewer labelled log ticks than this in view: try the calendar's ticks instead.
_FEW = 4


def amount_text(n: float) -> str:
    """A number of years for people: "13.8 billion", "1 million", "10,000", "2.5"."""
    for unit, name in ((1e9, "billion"), (1e6, "million")):
        if n >= unit:
            return f"{_significant(n / unit)} {name}"
    if n >= 100:
        return f"{round(n):,}"
    return _significant(n)


def _significant(x: float) -> str:
    """``x`` to three significant digits, without trailing zeros ("13.8", "100", "2")."""
    if x >= 100:
        return f"{round(x):,}"
    text = f"{x:.3g}"
    if "e" in text:  # (only for tiny numbers, which are not labelled)
        text = f"{x:.3f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def years_label(years: float, scale: TimeScale) -> str:
    """The label of a tick ``years`` before the scale's reference (negative: after):
    "100 million years ago", "1 year ago", "now", "in 10 years"; with a chosen reference
    date, "100 years before 1950", "1950", "10 years after 1950"."""
    ref = scale.reference
    if years == 0:
        return ref.format() if ref is not None else "now"
    n = abs(years)
    unit = "year" if n == 1 else "years"
    text = f"{amount_text(n)} {unit}"
    if ref is not None:
        return f"{text} {'before' if years > 0 else 'after'} {ref.format()}"
    return f"{text} ago" if years > 0 else f"in {text}"


def _decade_ticks(
    u0: float, u1: float, mantissas: tuple[int, ...], step: int
) -> list[tuple[float, float, bool]]:
    """``(axis coordinate, years before, major)`` of the log ticks inside ``[u0, u1]``:
    ``m · 10^k`` years either side of the reference for ``k`` a multiple of ``step``
    (the mantissas ``m``), and the reference itself."""
    out: list[tuple[float, float, bool]] = []
    if u0 <= 0.0 <= u1:
        out.append((0.0, 0.0, True))
    for sign in (-1.0, 1.0):  # the past (u < 0), then the future
        lo, hi = (max(-u1, 0.0), -u0) if sign < 0 else (max(u0, 0.0), u1)
        if hi <= 0.0:
            continue
        # years at the near and far ends of this side of the view
        near, far = math.expm1(lo * _LN10), math.expm1(min(hi, 18.0) * _LN10)
        k0 = max(0, math.floor(math.log10(near)) if near >= 1 else 0)
        k1 = min(_MAX_DECADE, math.ceil(math.log10(far)) if far >= 1 else 0)
        for k in range(k0 - k0 % step, k1 + 1, step):
            for m in mantissas:
                years = m * 10.0**k
                u = sign * math.log1p(years) / _LN10
                if u0 <= u <= u1:
                    out.append((u, -sign * years, m == 1))
    out.sort()
    return out


def _clear(x: float, w: float, kept: list[tuple[float, float]], gap: float, spacing: float) -> bool:
    """Whether a tick at ``x`` with a label ``w`` px wide keeps ``spacing`` px from the
    ticks ``kept`` (``(x, width)``) and ``gap`` px between its label and theirs."""
    return all(abs(x - kx) >= max(spacing, (w + kw) / 2 + gap) for kx, kw in kept)


def _unclash(
    ticks: list[tuple[float, str, bool]],
    xs: list[float],
    measure: Callable[[str], float],
    pixels: float,
    gap: float,
) -> list[str]:
    """The labels, with those that would overlap a label kept before them (major ticks
    are kept first) or stick out of ``[0, pixels]`` left blank."""
    labels = [label for _, label, _ in ticks]
    kept: list[tuple[float, float]] = []
    # the reference first ("now" says where the others count from), then major ticks
    order = sorted(range(len(ticks)), key=lambda i: (ticks[i][0] != 0.0, not ticks[i][2], i))
    for i in order:
        if not labels[i]:
            continue
        w = measure(labels[i])
        a, b = xs[i] - w / 2, xs[i] + w / 2
        if a < 0 or b > pixels or any(a < kb + gap and b > ka - gap for ka, kb in kept):
            labels[i] = ""
            continue
        kept.append((a, b))
    return labels


def _levels(
    ticks: list[tuple[float, str, bool]], labels: list[str], major: float, minor: float, name: str
) -> list[TickLevel]:
    majors = tuple((u, lab) for (u, _, big), lab in zip(ticks, labels, strict=True) if big)
    minors = tuple((u, lab) for (u, _, big), lab in zip(ticks, labels, strict=True) if not big)
    return [TickLevel(major, f"{name} (major)", majors), TickLevel(minor, name, minors)]


def _log_ticks(
    scale: TimeScale,
    u0: float,
    u1: float,
    pixels: float,
    spacing: float,
    measure: Callable[[str], float],
    gap: float,
) -> tuple[list[tuple[float, str, bool]], int]:
    """Decade ticks every ``step`` decades, the smallest step whose labels fit (else
    the largest), and the step; with a step of one, 2s and 5s where they fit too.

    The reference's tick ("now") is kept first, and decades too close to it are left
    out rather than thinning every decade (1 year ago is a hair from now when the
    axis spans billions of years)."""
    per_px = pixels / (u1 - u0)
    chosen: list[tuple[float, str, bool]] = []
    kept: list[tuple[float, float]] = []
    step = _DECADE_STEPS[0]
    for step in _DECADE_STEPS:
        chosen, kept = [], []
        fits = True
        with_ref = False
        for u, years, _ in sorted(_decade_ticks(u0, u1, (1,), step), key=lambda t: t[1] != 0):
            label = years_label(years, scale)
            x, w = (u - u0) * per_px, measure(label)
            if _clear(x, w, kept, gap, spacing):
                chosen.append((u, label, True))
                kept.append((x, w))
                with_ref = with_ref or years == 0
            elif not (with_ref and _clear(x, w, kept[1:], gap, spacing)):
                fits = False  # (else only the reference is in the way: this one is left out)
                break
        if fits:
            break
    if step == 1:  # 5s, then 2s, between the decades where they fit
        for m in (5, 2):
            for u, years, _ in _decade_ticks(u0, u1, (m,), 1):
                if years == 0:
                    continue
                label = years_label(years, scale)
                x, w = (u - u0) * per_px, measure(label)
                if _clear(x, w, kept, gap, spacing):
                    chosen.append((u, label, False))
                    kept.append((x, w))
    chosen.sort()
    return chosen, step


def _calendar_along(
    scale: TimeScale,
    u0: float,
    u1: float,
    pixels: float,
    spacing: float,
    measure: Callable[[str], float],
    gap: float,
) -> list[tuple[float, str, bool]]:
    """The calendar's ticks for the times in view, laid along the scale's curve."""
    s0, s1 = scale.from_axis(u0), scale.from_axis(u1)
    if not s1 > s0:
        return []
    levels = calendar_ticks(
        s0, s1, pixels, min_spacing_px=spacing, text_width=measure, label_gap_px=gap
    )
    out = [
        (scale.to_axis(pos), label, k == 0)
        for k, level in enumerate(levels)
        for pos, label in level.ticks
    ]
    # (a tick on the very edge may round to just outside it on the way)
    return sorted(t for t in out if u0 <= t[0] <= u1)


def scale_ticks(
    scale: TimeScale,
    u0: float,
    u1: float,
    pixels: float,
    *,
    min_spacing_px: float = 60.0,
    text_width: Callable[[str], float] | None = None,
    label_gap_px: float = LABEL_GAP_PX,
) -> list[TickLevel]:
    """Ticks for axis coordinates ``[u0, u1]`` drawn across ``pixels`` pixels.

    ``[major, minor]`` levels of ``(axis coordinate, label)``, or ``[]`` for an empty
    or invalid range.  On a linear scale this is :func:`calendar_ticks`.  On a log
    scale, decades of years before the reference (see the module docstring); ticks
    are at least ``min_spacing_px`` apart where there is room, and a label that would
    overlap another (``label_gap_px`` of clear space) or stick out is left blank.
    """
    if scale.is_linear:
        return calendar_ticks(
            u0, u1, pixels, min_spacing_px=min_spacing_px, text_width=text_width,
            label_gap_px=label_gap_px,
        )  # fmt: skip
    if not (math.isfinite(u0) and math.isfinite(u1) and math.isfinite(pixels)):
        return []
    if u1 <= u0 or pixels <= 0:
        return []
    measure = text_width or estimate_text_width
    spacing = max(float(min_spacing_px), 1.0)
    ticks, step = _log_ticks(scale, u0, u1, pixels, spacing, measure, label_gap_px)
    name = "1, 2, 5 decades" if step == 1 else f"{step} decades"
    per_px = pixels / (u1 - u0)
    if sum(1 for _, label, _ in ticks if label) < _FEW:
        # zoomed in where the scale is nearly linear: the calendar's ticks, if more
        along = _calendar_along(scale, u0, u1, pixels, spacing, measure, label_gap_px)
        xs = [(u - u0) * per_px for u, _, _ in along]
        keep = [i for i in range(len(along)) if i == 0 or xs[i] - xs[i - 1] >= spacing / 2]
        along = [along[i] for i in keep]
        labelled = _unclash(along, [xs[i] for i in keep], measure, pixels, label_gap_px)
        if sum(1 for label in labelled if label) > sum(1 for _, label, _ in ticks if label):
            if u0 <= 0.0 <= u1:  # the reference stays, among the calendar's ticks
                near = spacing / 2 / per_px
                along = [t for t in along if abs(t[0]) >= near]
                along = sorted([*along, (0.0, years_label(0, scale), True)])
            ticks, name = along, "calendar"
    xs = [(u - u0) * per_px for u, _, _ in ticks]
    labels = _unclash(ticks, xs, measure, pixels, label_gap_px)
    return _levels(ticks, labels, float(step), float(step) / 2, name)
