"""How time maps to the horizontal axis: linearly, or logarithmically for deep time.

On a linear axis a cosmology timeline puts everything of the last 300,000 years on
the pixel next to the Big Bang.  A :class:`TimeScale` maps axis positions in seconds
(:mod:`viewer.model.dates`) to *axis coordinates* and back, vectorised over numpy
arrays:

* ``linear``: the identity (axis coordinates are seconds);
* ``log``: time before a reference moment ``ref`` (the present unless a date is
  chosen), in decades of years: ``u = -sign(d) · log10(1 + |d| / year)`` with
  ``d = ref - t``.  The reference is at ``u = 0``, 1 year ago at about -0.30,
  10 years ago at -1.04, 13.8 billion years ago at -10.14, and 10 years after it at
  +1.04: continuous, increasing and finite for any finite time, also after the
  reference and in the deepest time.

:meth:`TimeScale.to_axis` and :meth:`TimeScale.from_axis` are inverse up to
rounding; both are monotonic (never decreasing), so the events overlapping a range of
axis coordinates are those overlapping its image in seconds, and sorted columns stay
sorted.  No Qt here: the store, the command line and the views share it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np

from viewer.model.dates import SECONDS_PER_YEAR, DateError, PartialDate

__all__ = [
    "CROWD_SPAN_YEARS",
    "LINEAR",
    "SCALE_KINDS",
    "ScaleKind",
    "TimeScale",
    "crowded_on_linear_axis",
    "now_position",
]

ScaleKind = Literal["linear", "log"]
#: The kinds of scale, as the settings and the command line name them.
SCALE_KINDS: tuple[ScaleKind, ...] = ("linear", "log")

_LN10 = math.log(10.0)
#: Axis coordinates beyond this (10^18 years from the reference) are clamped, so that
#: :meth:`TimeScale.from_axis` stays finite for any input.
_U_LIMIT = 18.0


#: A file spanning more than this many years may be offered a logarithmic scale.
CROWD_SPAN_YEARS = 1_000_000
#: Events within this share of the span of a neighbour are on its pixel (a 1000-px view).
_SAME_PIXEL = 1e-3


def crowded_on_linear_axis(begin: np.ndarray, finish: np.ndarray) -> bool:
    """Whether events (``begin`` sorted) crowd on a linear axis so that a logarithmic
    one would show them: they span more than :data:`CROWD_SPAN_YEARS`, and either at
    least 80 % of them start within 1 % of the span, or at least half of them start on
    the same pixel as a neighbour (a thousandth of the span), as the events of a
    cosmology timeline do next to the Big Bang and next to the present.  Costs a few
    vectorised passes (no sort)."""
    n = len(begin)
    if n < 3:
        return False
    span = float(np.max(finish)) - float(begin[0])
    if not span > CROWD_SPAN_YEARS * SECONDS_PER_YEAR:
        return False
    k = math.ceil(0.8 * n)
    if float(np.min(begin[k - 1 :] - begin[: n - k + 1])) <= 0.01 * span:
        return True
    near = np.diff(begin) <= _SAME_PIXEL * span
    on_a_neighbour = np.zeros(n, dtype=bool)
    on_a_neighbour[1:] |= near
    on_a_neighbour[:-1] |= near
    return 2 * int(on_a_neighbour.sum()) >= n


def now_position() -> float:
    """The present moment in axis seconds (seconds since 1970, as the dates count)."""
    return float(time.time())


@dataclass(frozen=True, slots=True)
class TimeScale:
    """A map of time (axis seconds) to axis coordinates: see the module docstring.

    ``reference`` is the date a logarithmic scale counts back from (``None``: the
    present, fixed when the scale is made with :meth:`log`); a linear scale has none.
    ``ref`` is that moment in axis seconds.
    """

    kind: ScaleKind = "linear"
    ref: float = 0.0
    reference: PartialDate | None = None

    @classmethod
    def log(cls, reference: PartialDate | None = None, *, now: float | None = None) -> TimeScale:
        """A logarithmic scale of time before ``reference`` (default: the present,
        ``now`` seconds if given, else the clock's)."""
        if reference is not None:
            return cls("log", float(reference.begin()), reference)
        return cls("log", now_position() if now is None else float(now), None)

    @classmethod
    def of(
        cls, kind: str, reference: PartialDate | None = None, *, now: float | None = None
    ) -> TimeScale:
        """The scale named ``kind`` (``"linear"`` or ``"log"``)."""
        if kind == "linear":
            return LINEAR
        if kind == "log":
            return cls.log(reference, now=now)
        raise ValueError(f"no such time scale: {kind!r} (use linear or log)")

    @property
    def is_linear(self) -> bool:
        return self.kind == "linear"

    # -- the map ---------------------------------------------------------------------

    @overload
    def to_axis(self, t: float) -> float: ...
    @overload
    def to_axis(self, t: np.ndarray) -> np.ndarray: ...
    def to_axis(self, t: float | np.ndarray) -> float | np.ndarray:
        """Axis coordinates of times ``t`` (seconds; a number or an array)."""
        if self.kind == "linear":
            return t
        arr = np.asarray(t, dtype=np.float64)
        # u = -sign(d) · log1p(|d|) / ln 10, in place: a million events in a few ms
        u = np.empty_like(arr)
        np.subtract(self.ref, arr, out=u)
        u /= SECONDS_PER_YEAR
        past = u > 0
        np.abs(u, out=u)
        np.log1p(u, out=u)
        u /= _LN10
        np.negative(u, out=u, where=past)
        return float(u) if np.ndim(t) == 0 else u

    @overload
    def from_axis(self, u: float) -> float: ...
    @overload
    def from_axis(self, u: np.ndarray) -> np.ndarray: ...
    def from_axis(self, u: float | np.ndarray) -> float | np.ndarray:
        """Times (seconds) at axis coordinates ``u``: the inverse of :meth:`to_axis`."""
        if self.kind == "linear":
            return u
        arr = np.clip(np.asarray(u, dtype=np.float64), -_U_LIMIT, _U_LIMIT)
        d = -np.sign(arr) * np.expm1(np.abs(arr) * _LN10)
        t = self.ref - d * SECONDS_PER_YEAR
        return float(t) if np.ndim(u) == 0 else t

    def seconds_shift(self, anchor: float, du: float) -> float:
        """How many seconds moving ``anchor`` (seconds) by ``du`` axis units moves it:
        a drag on the axis, as a shift in time."""
        if self.kind == "linear":
            return du
        return self.from_axis(self.to_axis(anchor) + du) - anchor

    def years_before(self, u: float) -> float:
        """Years before the reference at axis coordinate ``u`` (negative: after it)."""
        if self.kind == "linear":
            return (self.ref - u) / SECONDS_PER_YEAR
        a = min(abs(u), _U_LIMIT)
        return -math.copysign(math.expm1(a * _LN10), u) if u else 0.0

    def axis_of_years(self, years: float) -> float:
        """Axis coordinate of ``years`` before the reference (negative: after it)."""
        return self.to_axis(self.ref - years * SECONDS_PER_YEAR)

    # -- settings ----------------------------------------------------------------------

    def to_json(self) -> dict[str, object]:
        """What a file keeps of it (its view settings): the kind and the chosen date."""
        out: dict[str, object] = {"kind": self.kind}
        if self.reference is not None:
            out["reference"] = self.reference.iso()
        return out

    @classmethod
    def from_json(cls, value: object, *, now: float | None = None) -> TimeScale:
        """The scale kept as :meth:`to_json` gave it; linear for anything unreadable."""
        if not isinstance(value, dict) or value.get("kind") != "log":
            return LINEAR
        reference = None
        text = value.get("reference")
        if isinstance(text, str):
            try:
                reference = PartialDate.from_iso(text)
            except DateError:
                reference = None
        return cls.log(reference, now=now)

    def describe(self) -> str:
        """For people: "linear", "logarithmic (before now)", "logarithmic (before 1950)"."""
        if self.kind == "linear":
            return "linear"
        ref = self.reference.format() if self.reference is not None else "now"
        return f"logarithmic (before {ref})"


#: The linear scale (axis coordinates are seconds).
LINEAR = TimeScale()
