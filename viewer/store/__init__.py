"""The SQLite event store. Imports no Qt."""

from viewer.store.store import (
    EventColumns,
    EventStore,
    ImportCancelled,
    ImportResult,
    StoreError,
    fts_query,
)

__all__ = [
    "EventColumns",
    "EventStore",
    "ImportCancelled",
    "ImportResult",
    "StoreError",
    "fts_query",
]
