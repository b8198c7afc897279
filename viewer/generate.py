"""Realistic synthetic timelines, for benchmarks and for trying the app at scale.

Dates cluster around a few busy periods (as real archives do), most events are days,
some are ranges, some are known only to the month or year, and a few carry a time.
The columns are made with numpy, straight into the store's import batches.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from viewer.model.date_arrays import DateColumns, civil_from_days, days_from_civil, days_in_month
from viewer.model.dates import PartialDate, Precision
from viewer.model.event import Category, Event, Timeline
from viewer.store.batch import BATCH_SIZE, EventBatch

CATEGORIES = (
    ("Politics", "#4e79a7"),
    ("Economy", "#f28e2b"),
    ("Conflict", "#e15759"),
    ("Science", "#76b7b2"),
    ("Culture", "#59a14f"),
    ("Sport", "#edc948"),
    ("Health", "#b07aa1"),
    ("Environment", "#9c755f"),
)
_SUBJECTS = (
    "Parliament",
    "The central bank",
    "Rebel forces",
    "Researchers",
    "The festival",
    "The national team",
    "Health officials",
    "Flood waters",
    "The prime minister",
    "A consortium",
    "Union leaders",
    "The court",
    "Engineers",
    "Voters",
    "Diplomats",
)
_VERBS = (
    "approves",
    "rejects",
    "announces",
    "launches",
    "suspends",
    "celebrates",
    "opens",
    "signs",
    "investigates",
    "reaches",
    "postpones",
    "unveils",
    "wins",
    "loses",
    "reforms",
)
_OBJECTS = (
    "a new budget",
    "the trade agreement",
    "a ceasefire",
    "the space probe",
    "a museum",
    "the championship",
    "a vaccine programme",
    "emergency measures",
    "the railway line",
    "a peace plan",
    "tax reform",
    "the summit",
    "an inquiry",
    "the harbour project",
)
_PLACES = (
    "in the capital",
    "near the border",
    "in the north",
    "on the coast",
    "abroad",
    "in the south",
    "after long talks",
    "despite protests",
    "for the first time",
)


def _agree(verb: str, subject: str) -> str:
    """ "The court approves" but "Voters approve": the verb follows its subject."""
    if not subject.endswith("s"):
        return verb
    if verb.endswith(("ches", "shes", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


#: Every subject with every verb, as they agree ("Voters approve").
_PHRASES = [[f"{s} {_agree(v, s)}" for v in _VERBS] for s in _SUBJECTS]
_TAGS = ("breaking", "analysis", "archive", "photo", "local")
#: How precise the generated dates are, and how often (day, month, year, minute).
_PRECISIONS = (Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.MINUTE)
_PRECISION_WEIGHTS = (0.70, 0.15, 0.10, 0.05)
_LENGTHS = (1, 3, 10, 40, 200, 800)


def synthetic_batches(n: int, *, seed: int = 1, size: int = BATCH_SIZE) -> Iterator[EventBatch]:
    """``n`` events spread over 1850–2025 around a few busy clusters, in batches.

    Made a column at a time with numpy (no date object per event), so a million
    events take seconds and memory stays at one batch.
    """
    rng = np.random.default_rng(seed)
    centres = rng.uniform(1860, 2020, 12)
    spreads = rng.uniform(1.5, 12.0, 12)
    names = [name for name, _color in CATEGORIES]
    done = 0
    while done < n:
        k = min(size, n - done)
        cluster = rng.integers(0, 12, k)
        year = np.clip(np.rint(rng.normal(centres[cluster], spreads[cluster])), 1850, 2025)
        year = year.astype(np.int64)
        precision = rng.choice(np.array(_PRECISIONS, dtype=np.int64), k, p=_PRECISION_WEIGHTS)
        month = rng.integers(1, 13, k)
        dim = days_in_month(year, month)
        day = (rng.random(k) * dim).astype(np.int64) + 1
        hour = rng.integers(0, 24, k)
        minute = rng.integers(0, 60, k)
        coarse = precision < Precision.DAY
        start = DateColumns.of(
            year,
            np.where(precision >= Precision.MONTH, month, -1),
            np.where(coarse, -1, day),
            np.where(precision == Precision.MINUTE, hour, -1),
            np.where(precision == Precision.MINUTE, minute, -1),
        )
        # a fifth are ranges: so many units of the start's own precision long
        is_range = rng.random(k) < 0.2
        length = rng.choice(np.array(_LENGTHS), k)
        units = np.where(precision == Precision.YEAR, length // 365, length)
        units = np.where(precision == Precision.MONTH, length // 30, units)
        units = np.where(precision == Precision.MINUTE, rng.integers(30, 601, k), units)
        end = _shifted(start, precision, np.maximum(units, 1))
        subject = rng.integers(0, len(_SUBJECTS), k).tolist()
        verb = rng.integers(0, len(_VERBS), k).tolist()
        obj = rng.integers(0, len(_OBJECTS), k).tolist()
        place = rng.integers(0, len(_PLACES), k).tolist()
        follow = rng.integers(0, len(_OBJECTS), k).tolist()
        category = np.where(rng.random(k) < 0.95, rng.integers(0, len(names), k), -1).tolist()
        tag = rng.integers(0, len(_TAGS), k).tolist()
        titles = [
            f"{_PHRASES[s][v]} {_OBJECTS[o]}" for s, v, o in zip(subject, verb, obj, strict=True)
        ]
        descriptions = [
            f"{t} {_PLACES[pl]}. Event {done + i + 1} of the synthetic archive; "
            f"observers expect {_OBJECTS[f]} to follow."
            for i, (t, pl, f) in enumerate(zip(titles, place, follow, strict=True))
        ]
        begin, start_until = start.begin(), start.finish()
        end_from, end_finish = end.begin(), end.finish()
        rng_list = is_range.tolist()
        end_iso = end.iso()
        yield EventBatch(
            title=titles,
            description=descriptions,
            start=start.iso(),
            end=[e if r else None for e, r in zip(end_iso, rng_list, strict=True)],
            start_pos=begin.tolist(),
            end_pos=np.where(is_range, end_finish, start_until).tolist(),
            start_until=start_until.tolist(),
            end_from=np.where(is_range, end_from, begin).tolist(),
            start_precision=precision.tolist(),
            end_precision=[int(p) if r else None for p, r in zip(precision, rng_list, strict=True)],
            category=[names[c] if c >= 0 else "" for c in category],
            source_url=[""] * k,
            display_date=[""] * k,
            extra=["{}"] * k,
            tags=[(_TAGS[t],) for t in tag],
            qualifiers=[0] * k,
            notes=[""] * k,
        )
        done += k


def _shifted(start: DateColumns, precision: np.ndarray, units: np.ndarray) -> DateColumns:
    """Each date moved by whole units of its own precision (as ``PartialDate.shifted``)."""
    y, mo, d, h, mi, _s = start.fields()
    index = y * 12 + np.maximum(mo, 1) - 1 + units
    by_month = (index // 12, index % 12 + 1)
    days = days_from_civil(y, np.maximum(mo, 1), np.maximum(d, 1))
    dy, dm, dd = civil_from_days(days + units)
    total = (days * 24 + np.maximum(h, 0)) * 60 + np.maximum(mi, 0) + units
    my, mm, md = civil_from_days(total // 1440)
    p = precision
    year = np.select(
        [p == Precision.YEAR, p == Precision.MONTH, p == Precision.DAY],
        [y + units, by_month[0], dy],
        my,
    )
    month = np.select(
        [p == Precision.YEAR, p == Precision.MONTH, p == Precision.DAY], [-1, by_month[1], dm], mm
    )
    day = np.select([p < Precision.DAY, p == Precision.DAY], [-1, dd], md)
    hour = np.where(p == Precision.MINUTE, (total // 60) % 24, -1)
    minute = np.where(p == Precision.MINUTE, total % 60, -1)
    return DateColumns.of(year, month, day, hour, minute)


def synthetic_timeline(n: int, *, seed: int = 1) -> Timeline:
    """The events of :func:`synthetic_batches` as one in-memory timeline (small ``n``)."""
    events: list[Event] = []
    for batch in synthetic_batches(n, seed=seed):
        for i in range(len(batch)):
            end = batch.end[i]
            events.append(
                Event(
                    batch.title[i],
                    PartialDate.from_iso(batch.start[i]),
                    PartialDate.from_iso(end) if end else None,
                    batch.description[i],
                    batch.category[i] or None,
                    batch.tags[i],
                )
            )
    return synthetic_header(n, events)


def synthetic_header(n: int, events: list[Event] | None = None) -> Timeline:
    """The title, description and categories of a synthetic timeline of ``n`` events."""
    return Timeline(
        title=f"Synthetic timeline ({n:,} events)",
        description="Generated by timeline-viewer generate for benchmarks.",
        source="timeline-viewer generate",
        events=events or [],
        categories=[Category(name, color) for name, color in CATEGORIES],
    )
