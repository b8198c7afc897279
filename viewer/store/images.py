"""The events' images: stored bytes (or links never fetched) in the ``images`` table.

An event's images come with it wherever a whole event is read
(:meth:`Images.get_event`, :meth:`Images.iter_events`), so an edit, an undo or an
export carries them without asking; the columnar reads of the views never touch
them.  Writing an event writes its images with :meth:`Images._write_images`, which
keeps the rows of images whose bytes did not change (matched by digest), so moving
an event with a large photograph rewrites no blob.

The views ask for little at a time: :meth:`Images.image_index` (which events have a
stored image, and the first one's row), :meth:`Images.image_thumbnail` and
:meth:`Images.image_data` by row, each an indexed lookup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from viewer.model.event import Event
from viewer.model.images import Image, ImageError
from viewer.store.core import StoreError, chunked
from viewer.store.reads import DamagedEvent, Reads

__all__ = ["Images"]

_COLUMNS = "id, url, caption, credit, name, extra, thumbnail, data"


def _image_from_row(row: Sequence[Any], event_id: int) -> Image:
    id_, url, caption, credit, name, extra, thumbnail, data = row
    try:
        fields = json.loads(extra) if extra else {}
        return Image(
            data=bytes(data),
            url=url,
            caption=caption,
            credit=credit,
            name=name,
            extra=fields if isinstance(fields, dict) else {},
            thumbnail=bytes(thumbnail),
            id=id_,
        )
    except (ImageError, ValueError) as exc:
        raise DamagedEvent(
            f"image {id_} of event {event_id} cannot be read ({exc})", event_id
        ) from None


class Images(Reads):
    """Images of events (a part of :class:`~viewer.store.EventStore`)."""

    # -- reading -------------------------------------------------------------------

    def images_of(self, event_id: int) -> tuple[Image, ...]:
        """An event's images in order, bytes included."""
        if not self.has_images:
            return ()
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM images WHERE event_id = ? ORDER BY position, id",
                (event_id,),
            ).fetchall()
        return tuple(_image_from_row(r, event_id) for r in rows)

    def get_event(self, event_id: int) -> Event | None:
        with self._reading():
            event = super().get_event(event_id)
            images = self.images_of(event_id) if event is not None else ()
        return event.evolve(images=images) if event is not None and images else event

    def iter_events(
        self, on_damaged: Callable[[DamagedEvent], None] | None = None
    ) -> Iterator[Event]:
        with self._reading():
            having = set(self._ids_with_images())
            for event in super().iter_events(on_damaged):
                if event.id in having:
                    try:
                        event = event.evolve(images=self.images_of(event.id))
                    except DamagedEvent as damaged:
                        if on_damaged is None:
                            raise
                        on_damaged(damaged)
                        continue
                yield event

    def _ids_with_images(self) -> list[int]:
        if not self.has_images:
            return []
        with self._reading() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT event_id FROM images")]

    def image_index(self, ids: Iterable[int] | None = None) -> dict[int, int]:
        """``{event id: row of its first stored image}`` for the events that have one
        (of ``ids``, or of all): what a view needs to know to show thumbnails."""
        if not self.has_images:
            return {}
        sql = (
            "SELECT event_id, id FROM images WHERE size > 0 {where} "
            "ORDER BY event_id, position DESC, id DESC"
        )
        found: dict[int, int] = {}
        with self._reading() as conn:
            if ids is None:
                found.update(conn.execute(sql.format(where="")))
            else:
                for chunk in chunked(list(dict.fromkeys(int(i) for i in ids))):
                    marks = ",".join("?" * len(chunk))
                    found.update(
                        conn.execute(sql.format(where=f"AND event_id IN ({marks})"), chunk)
                    )
        return found  # (in descending position order, so each event's first one wins)

    def image_count(self) -> tuple[int, int]:
        """How many images the document has, and how many bytes they take."""
        if not self.has_images:
            return 0, 0
        with self._reading() as conn:
            n, size = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM images").fetchone()
        return int(n), int(size)

    def image_thumbnail(self, image_id: int) -> bytes:
        """The thumbnail kept with an image (``b""``: none was made, or no such row)."""
        return self._blob("thumbnail", image_id)

    def image_data(self, image_id: int) -> bytes:
        """An image's bytes (``b""``: a link, or no such row)."""
        return self._blob("data", image_id)

    def _blob(self, column: str, image_id: int) -> bytes:
        if not self.has_images:
            return b""
        with self._reading() as conn:
            row = conn.execute(f"SELECT {column} FROM images WHERE id = ?", (image_id,)).fetchone()
        return bytes(row[0]) if row else b""

    # -- writing -------------------------------------------------------------------

    def _write_images(self, event_id: int, images: Sequence[Image]) -> bool:
        """Make the event's stored images ``images``, in that order; whether anything
        changed.  Rows whose bytes are unchanged are kept (their blobs not rewritten)."""
        conn = self._conn
        rows = conn.execute(
            "SELECT id, digest, url, caption, credit, name, extra, position, length(thumbnail) "
            "FROM images WHERE event_id = ? ORDER BY position, id",
            (event_id,),
        ).fetchall()
        free: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for row in rows:
            free.setdefault((row[1], row[2] if not row[1] else ""), []).append(row)
        changed = False
        for position, image in enumerate(images):
            digest = image.digest
            extra = json.dumps(image.extra, ensure_ascii=False, sort_keys=True)
            same = free.get((digest, "" if digest else image.url))
            if same:
                row = same.pop(0)
                wanted = (image.url, image.caption, image.credit, image.name, extra, position)
                if tuple(row[2:8]) != wanted:
                    conn.execute(
                        "UPDATE images SET url=?, caption=?, credit=?, name=?, extra=?, "
                        "position=? WHERE id = ?",
                        (*wanted, row[0]),
                    )
                    changed = True
                if image.thumbnail and not row[8]:
                    conn.execute(
                        "UPDATE images SET thumbnail = ? WHERE id = ?", (image.thumbnail, row[0])
                    )
                continue
            self._insert_image(event_id, position, image, extra)
            changed = True
        gone = [(row[0],) for rest in free.values() for row in rest]
        if gone:
            conn.executemany("DELETE FROM images WHERE id = ?", gone)
            changed = True
        return changed

    def _insert_image(self, event_id: int, position: int, image: Image, extra: str) -> None:
        self._conn.execute(
            "INSERT INTO images(event_id, position, url, caption, credit, name, extra, size, "
            "digest, thumbnail, data) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                event_id,
                position,
                image.url,
                image.caption,
                image.credit,
                image.name,
                extra,
                image.size,
                image.digest,
                image.thumbnail,
                image.data,
            ),
        )

    def _insert_imported_images(self, images: Mapping[int, Sequence[Image]]) -> None:
        """Images of events an import just added (``{event id: images}``)."""
        if images and not self.has_images:
            raise StoreError(f"{self.path} is too old to keep images")
        for event_id, these in images.items():
            for position, image in enumerate(these):
                extra = json.dumps(image.extra, ensure_ascii=False, sort_keys=True)
                self._insert_image(event_id, position, image, extra)
