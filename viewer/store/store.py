"""The event store: one SQLite file is one timeline document.

:class:`EventStore` is the one class the rest of the app uses (import it from
:mod:`viewer.store`).  It is put together here from parts that each live in a module
of their own, every part building on the ones above it:

* :mod:`viewer.store.core`: opening and checking a file, transactions
  (:meth:`~viewer.store.core.StoreCore.atomic`), change records
  (:class:`~viewer.store.core.Change`)
  and their listeners, copies of the document;
* :mod:`viewer.store.catalog`: metadata, categories, tags and eras;
* :mod:`viewer.store.reads`: events one by one, as numpy columns for the views, by
  search and by filter;
* :mod:`viewer.store.images`: the events' images, read with each whole event;
* :mod:`viewer.store.writes`: adding, changing and deleting events, and placing
  them in the default layout's lanes;
* :mod:`viewer.store.imports`: whole timelines in batches, and the exact undo and
  redo of an import.

In short: every write goes through ``atomic()``, which commits or rolls back as a
whole and nests with savepoints, and listeners registered with ``subscribe()`` are
told after each outermost commit what changed, so the views patch what they show.
A file that is not a timeline, is damaged or is too new is refused before anything
is written to it.  Reads for the views are columnar (numpy arrays, never a Python
object per event), imports stream in batches and exports read row by row.  Whatever
SQLite refuses comes out of every public read and write as a
:class:`~viewer.store.core.StoreError`.

The helpers the parts use, without a store of their own: :mod:`~viewer.store.schema`
(the tables and their migrations), :mod:`~viewer.store.layout` (lanes kept in the
file), :mod:`~viewer.store.bulk` (columns out of SQLite fast),
:mod:`~viewer.store.batch` (events as rows, for imports) and
:mod:`~viewer.store.columns` (the columns the views hold).  Built on a store:
:mod:`~viewer.store.filtering` (filters as masks) and :mod:`~viewer.store.search`
(search as one types).
"""

from __future__ import annotations

from viewer.store.imports import Imports
from viewer.store.writes import Placer, Writes

# ``Placer`` too: the type of what EventStore.set_placer takes.
__all__ = ["EventStore", "Placer"]


class EventStore(Writes, Imports):
    """A timeline document in an SQLite file (or ``":memory:"``).

    Open one with :meth:`open` (and close it, or use it as a context manager).  Its
    methods come from the parts named in :mod:`viewer.store.store`; each raises
    :class:`~viewer.store.core.StoreError` for what cannot be done (what SQLite
    refuses included) and leaves the file as it was.  One thread uses a store at a
    time: another thread reads through a store of its own (:meth:`reader`).  After
    each commit that changed something, the listeners given to :meth:`subscribe` get
    the :class:`~viewer.store.core.Change`.
    """
