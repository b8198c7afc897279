"""The SQLite event store. Imports no Qt."""

from viewer.store.batch import EventBatch
from viewer.store.columns import EventArrays
from viewer.store.store import (
    Change,
    EventStore,
    ImportCancelled,
    ImportResult,
    StoreError,
    fts_query,
)

__all__ = [
    "Change",
    "EventArrays",
    "EventBatch",
    "EventStore",
    "ImportCancelled",
    "ImportResult",
    "StoreError",
    "fts_query",
]
