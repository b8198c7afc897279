"""The domain: partial dates, events and timelines. Pure Python, no Qt."""

from viewer.model.dates import DateError, PartialDate, Precision, format_range
from viewer.model.event import Category, Era, Event, Timeline

__all__ = [
    "Category",
    "DateError",
    "Era",
    "Event",
    "PartialDate",
    "Precision",
    "Timeline",
    "format_range",
]
