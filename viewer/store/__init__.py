"""The SQLite event store (imports no Qt): :class:`EventStore` and what it deals in.

See :mod:`viewer.store.store` for a map of the modules.
"""

from viewer.store.batch import EventBatch
from viewer.store.columns import EventArrays
from viewer.store.core import Change, ChangedElsewhere, DamagedEvent, StoreError
from viewer.store.imports import ImportCancelled, ImportResult
from viewer.store.reads import fts_query
from viewer.store.store import EventStore

__all__ = [
    "Change",
    "ChangedElsewhere",
    "DamagedEvent",
    "EventArrays",
    "EventBatch",
    "EventStore",
    "ImportCancelled",
    "ImportResult",
    "StoreError",
    "fts_query",
]
