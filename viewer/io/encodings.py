"""Which text encoding a file is in, found from its bytes, and reading it in that one.

People bring files from every spreadsheet and editor: UTF-8 (with or without a BOM),
UTF-16 (Excel's "Unicode text", with a BOM, and sometimes without one), and the
Windows code page a European Excel still writes its CSV in.  The encoding is found,
not guessed blindly, in this order:

1. a BOM says it (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE — the UTF-32 ones first, since
   UTF-32 LE's BOM begins with UTF-16 LE's);
2. NUL bytes in the first 4 KB: text has none, but UTF-16 of mostly Latin text has
   one in every other byte, in the high half of each unit (odd bytes for LE, even for
   BE).  That pattern is UTF-16 without a BOM; NULs in any other pattern are a binary
   file, refused (they are also why step 3 alone would not do: NUL is valid UTF-8);
3. strict UTF-8: a file that decodes is UTF-8 (ASCII is too);
4. else Windows-1252, if everything before the first byte that is not UTF-8 was ASCII.
   The five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as
   Latin-1 reads them, as the WHATWG encoding standard's windows-1252 does, so that
   any byte is some character; the report then says Latin-1 was used for them.  A
   file that is UTF-8 at first (non-ASCII letters that decode) and not later is two
   encodings mixed: refused, naming the line, rather than read half wrong.

A file too big to read at once (a sheet CSV streams) is judged by its first bytes
(:data:`~viewer.io.formats.SNIFF_BYTES`); if those are all ASCII the rest may still
show it is Windows-1252, and :func:`stream_lines` then goes on in Windows-1252 from the
start, which gives the same lines for the ASCII already read.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from viewer.io.errors import FormatError

__all__ = ["Decoding", "decode_text", "sniff_encoding", "stream_lines"]

_LATIN1_FALLBACK = "timeline-viewer-latin1"


def _latin1(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes cp1252 has no character for as Latin-1 does (U+0081 …)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_LATIN1_FALLBACK, _latin1)

#: The bytes cp1252 leaves undefined, as the characters they are read as.
_CP1252_HOLES = re.compile("[\x81\x8d\x8f\x90\x9d]")
#: Bytes of the file looked at for the NUL pattern of UTF-16 without a BOM.
_NUL_SAMPLE = 4096


@dataclass
class Decoding:
    """How a file's bytes are read: the codec, and what to tell people.

    ``latin1`` is set once a byte cp1252 lacks has been read (as Latin-1); a stream
    sets it as it goes, so read :attr:`label` once the file is read.
    """

    codec: str
    name: str
    errors: str = "strict"
    #: UTF-8 without a BOM whose bytes so far were ASCII: may turn out to be cp1252.
    tentative: bool = False
    latin1: bool = False

    @property
    def label(self) -> str:
        """The encoding for people: "UTF-8", "UTF-16 LE", "Windows-1252"."""
        if self.latin1:
            return f"{self.name} (bytes it lacks as Latin-1)"
        return self.name


def _utf8(*, bom: bool = False, tentative: bool = False) -> Decoding:
    return Decoding("utf-8-sig" if bom else "utf-8", "UTF-8", tentative=tentative)


def _cp1252() -> Decoding:
    return Decoding("cp1252", "Windows-1252", errors=_LATIN1_FALLBACK)


_BOMS = (
    (codecs.BOM_UTF8, lambda: _utf8(bom=True)),
    (codecs.BOM_UTF32_LE, lambda: Decoding("utf-32", "UTF-32 LE")),
    (codecs.BOM_UTF32_BE, lambda: Decoding("utf-32", "UTF-32 BE")),
    (codecs.BOM_UTF16_LE, lambda: Decoding("utf-16", "UTF-16 LE")),
    (codecs.BOM_UTF16_BE, lambda: Decoding("utf-16", "UTF-16 BE")),
)


def _line_of(data: bytes, offset: int) -> str:
    return f"line {data[:offset].count(10) + 1}"


def _not_text(data: bytes) -> FormatError:
    return FormatError(
        "the file is not text: it holds NUL bytes, and is not UTF-8 or UTF-16 (is it a "
        "binary file?)",
        where=_line_of(data, data.find(b"\0")),
    )


def _mixed(byte: int, where: str) -> FormatError:
    return FormatError(
        f"the file is UTF-8 before this line, but byte 0x{byte:02x} here is not UTF-8: "
        "is it two encodings mixed? Save the file as UTF-8 and import it again",
        where=where,
    )


def _by_nuls(sample: bytes) -> Decoding | None:
    """UTF-16 without a BOM, from where the NULs of its sample fall (or ``None``)."""
    units = len(sample) // 2
    if units == 0:
        return None
    even = sample[0 : units * 2 : 2].count(0)
    odd = sample[1 : units * 2 : 2].count(0)
    # Mostly-Latin UTF-16 has a NUL high byte in most units and few NUL low bytes
    # (only characters such as U+0100 or U+4E00 have one); a quarter of the units is
    # far more than a binary file's chance pattern.  UTF-16 of text with few Latin
    # letters has no NULs to tell it by: without a BOM it is not found (Excel and
    # Notepad write one).
    if odd >= units / 4 and even <= max(1, odd / 20):
        return Decoding("utf-16-le", "UTF-16 LE")
    if even >= units / 4 and odd <= max(1, even / 20):
        return Decoding("utf-16-be", "UTF-16 BE")
    return None


def sniff_encoding(data: bytes, *, whole: bool = True) -> Decoding:
    """The encoding of a file from its bytes (all of them, or the first ones if not
    ``whole``); a binary file or mixed encodings are a :class:`FormatError`."""
    for bom, decoding in _BOMS:
        if data.startswith(bom):
            return decoding()
    sample = data[:_NUL_SAMPLE]
    if 0 in sample:
        found = _by_nuls(sample)
        if found is None:
            raise _not_text(data)
        return found
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=whole)
    except UnicodeDecodeError as exc:
        if data[: exc.start].isascii():
            return _cp1252()
        raise _mixed(data[exc.start], _line_of(data, exc.start)) from None
    return _utf8(tentative=not whole and data.isascii())


def _decode_error(data: bytes, decoding: Decoding, exc: UnicodeDecodeError) -> FormatError:
    before = data[: exc.start].decode(decoding.codec, "replace")
    return FormatError(
        f"the file is not valid {decoding.name} text",
        where=f"line {before.count(chr(10)) + 1}",
    )


def decode_text(data: bytes, source: str | None = None) -> tuple[str, Decoding]:
    """A whole file's text (without its BOM) and how it was read.

    Line ends are left as they are: every reader takes ``\\r\\n``, ``\\r`` or ``\\n``
    between lines, and a line break inside a quoted CSV cell is part of the text.
    """
    try:
        decoding = sniff_encoding(data)
        try:
            text = data.decode(decoding.codec, decoding.errors)
        except UnicodeDecodeError as exc:
            raise _decode_error(data, decoding, exc) from None
    except FormatError as exc:
        raise exc.with_source(source) if source else exc from None
    if decoding.errors == _LATIN1_FALLBACK and _CP1252_HOLES.search(text):
        decoding.latin1 = True
    return text, decoding


def decode_head(head: bytes, whole: bool, source: str | None = None) -> tuple[str, Decoding]:
    """The first bytes of a file as text (a character cut at their end is left out)."""
    if whole:
        return decode_text(head, source)
    try:
        decoding = sniff_encoding(head, whole=False)
        decoder = codecs.getincrementaldecoder(decoding.codec)(decoding.errors)
        try:
            return decoder.decode(head, final=False), decoding
        except UnicodeDecodeError as exc:
            raise _decode_error(head, decoding, exc) from None
    except FormatError as exc:
        raise exc.with_source(source) if source else exc from None


def _first_bad_utf8(path: Path) -> tuple[int, bool, int]:
    """``(byte, ascii before, line)`` for the first byte of a file that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    ascii_so_far = True
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            held = len(decoder.getstate()[0])  # the start of a character cut before
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = exc.start - held  # in ``chunk``; < 0: in the bytes held back
                before = chunk[: max(0, at)]
                bad = chunk[at] if at >= 0 else exc.object[exc.start]
                return bad, ascii_so_far and before.isascii(), lines + before.count(b"\n") + 1
            ascii_so_far = ascii_so_far and chunk.isascii()
            lines += chunk.count(b"\n")
    return 0, ascii_so_far, lines + 1  # (not reached: the stream found a bad byte)


def stream_lines(
    path: str | os.PathLike[str], decoding: Decoding, source: str | None = None
) -> Iterator[str]:
    """The lines of a file (line ends kept, as ``newline=""`` splits them) in
    ``decoding``, which is updated as the file shows more of itself; a byte the
    encoding cannot read is a :class:`FormatError` naming the line.  The file is closed
    once read or given up."""
    name = source or os.fspath(path)
    file = Path(path)
    try:
        stream = file.open(encoding=decoding.codec, errors=decoding.errors, newline="")
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    line = 0
    try:
        while True:
            try:
                if decoding.errors == _LATIN1_FALLBACK:
                    for text in stream:
                        line += 1
                        if not decoding.latin1 and _CP1252_HOLES.search(text):
                            decoding.latin1 = True
                        yield text
                else:  # the fast path: nothing but counting lines
                    for text in stream:
                        line += 1
                        yield text
                return
            except UnicodeDecodeError:
                if not decoding.tentative:
                    raise FormatError(
                        f"the file is not valid {decoding.name} text",
                        source=name,
                        where=f"line {line + 1}",
                    ) from None
            # UTF-8 so far, all ASCII: is it Windows-1252 from the start?
            bad, ascii_before, bad_line = _first_bad_utf8(file)
            if not ascii_before:
                raise _mixed(bad, f"line {bad_line}").with_source(name)
            stream.close()
            cp1252 = _cp1252()
            decoding.codec, decoding.name, decoding.errors = (
                cp1252.codec,
                cp1252.name,
                cp1252.errors,
            )
            decoding.tentative = False
            stream = file.open(encoding=decoding.codec, errors=decoding.errors, newline="")
            for _ in range(line):  # the ASCII lines read already: the same in cp1252
                next(stream)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    finally:
        stream.close()
