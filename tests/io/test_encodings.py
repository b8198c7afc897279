"""Encodings and delimiters found from a file (viewer.io.encodings, viewer.io.delimiters),
for whole files and for sheet CSVs read as they stream."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sheet_csv import timelines

from viewer.cli import main
from viewer.io.delimiters import sniff_delimiter
from viewer.io.encodings import decode_head, decode_text, sniff_encoding, stream_lines
from viewer.io.errors import FormatError
from viewer.io.formats import SNIFF_BYTES, open_import, read_file, read_import
from viewer.io.sheet_csv import (
    looks_like_sheet_csv,
    read_sheet_csv,
    sniff_sheet_delimiter,
    write_sheet_csv,
)
from viewer.model.event import Timeline
from viewer.store import EventStore

DATA = Path(__file__).resolve().parents[1] / "data" / "csv_dialects"
SHEET = (
    "Year,Month,Day,Headline,Text,Group\r\n"
    '1999,3,,Café crème,"A text, with commas",Économie\r\n'
    "-44,3,15,Caesar,Idus — « Mars »,\r\n"
)
EXPECTED = [("Café crème", "1999-03", "Économie"), ("Caesar", "-0043-03-15", None)]


def events_of(timeline: Timeline) -> list[tuple[str, str, str | None]]:
    return [(e.title, e.start.iso(), e.category) for e in timeline.events]


def with_delimiter(text: str, delimiter: str) -> str:
    """A CSV written again with another delimiter (quoting as csv does)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# -- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (SHEET.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + SHEET.encode("utf-8"), "UTF-8"),
        (SHEET.encode("utf-16"), "UTF-16 LE"),  # (Python writes its BOM, LE here)
        (codecs.BOM_UTF16_BE + SHEET.encode("utf-16-be"), "UTF-16 BE"),
        (SHEET.encode("utf-16-le"), "UTF-16 LE"),  # no BOM: told by its NULs
        (SHEET.encode("utf-16-be"), "UTF-16 BE"),
        (codecs.BOM_UTF32_LE + SHEET.encode("utf-32-le"), "UTF-32 LE"),
        (SHEET.encode("cp1252"), "Windows-1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le", "utf16be", "utf32", "cp1252"],
)
def test_each_encoding_is_found_and_read(data: bytes, label: str) -> None:
    text, decoding = decode_text(data, "x.csv")
    assert text == SHEET
    assert decoding.label == label


def test_bytes_cp1252_lacks_are_read_as_latin1_and_said() -> None:
    text, decoding = decode_text(b"caf\xe9 \x80 \x81\x9d", "x.txt")
    assert text == "café € \x81\x9d"
    assert decoding.label == "Windows-1252 (bytes it lacks as Latin-1)"


def test_a_binary_file_is_refused_not_read_as_cp1252() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(FormatError, match=r"pic\.png, line 3: .*NUL.*binary file"):
        decode_text(data, "pic.png")


def test_utf8_then_a_byte_that_is_not_is_refused_as_mixed() -> None:
    data = "Year,Headline\n1999,Café\n".encode() + b"2000,caf\xe9\n"
    with pytest.raises(FormatError) as info:
        decode_text(data, "mixed.csv")
    assert info.value.where == "line 3"
    assert "0xe9" in info.value.message
    assert "mixed" in info.value.message


def test_damaged_utf16_names_the_line() -> None:
    data = "a\nb\n".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le")  # lone surrogate
    with pytest.raises(FormatError, match="line 3: the file is not valid UTF-16 LE text"):
        decode_text(data, "x.csv")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16", "cp1252"])
def test_the_start_of_a_file_is_read_without_a_character_cut_at_its_end(encoding: str) -> None:
    data = ("é" * 100).encode(encoding)
    for cut in range(1, 5):
        text, _ = decode_head(data[: len(data) - cut], whole=False)
        assert "é" * 90 in text
        assert set(text) == {"é"}


def test_an_ascii_start_is_tentative_utf8() -> None:
    assert sniff_encoding(b"Year,Headline\n", whole=False).tentative
    assert not sniff_encoding(b"Year,Headline\n").tentative
    assert not sniff_encoding("Year,Headline,Café\n".encode(), whole=False).tentative


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_a_format_error(data: bytes) -> None:
    try:
        text, decoding = decode_text(data, "fuzz.csv")
    except FormatError as exc:
        assert exc.source == "fuzz.csv"
        return
    assert isinstance(text, str) and decoding.label
    sniff_delimiter(text)
    looks_like_sheet_csv(text)
    with contextlib.suppress(FormatError):
        read_sheet_csv(text, "fuzz.csv")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.integers(0, 4))
def test_any_start_of_a_file_decodes_or_gives_a_format_error(data: bytes, cut: int) -> None:
    with contextlib.suppress(FormatError):
        decode_head(data[: max(0, len(data) - cut)], whole=False)


# -- delimiters ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_found_and_read(delimiter: str) -> None:
    text = with_delimiter(SHEET, delimiter)
    assert sniff_sheet_delimiter(text) == delimiter
    assert looks_like_sheet_csv(text)
    assert events_of(read_sheet_csv(text)) == EXPECTED


def test_delimiters_inside_quoted_cells_do_not_count() -> None:
    # Many commas in quotes, a line break in a cell: a frequency count says comma.
    text = (
        'Year;Headline;Text\r\n1999;"One, two, three, four";"a, b, c, d, e"\r\n'
        '2000;"Five, six";"g,\r\nh, i, j"\r\n'
    )
    assert sniff_sheet_delimiter(text) == ";"
    assert [e.description for e in read_sheet_csv(text).events] == [
        "a, b, c, d, e",
        "g,\r\nh, i, j",
    ]


def test_without_known_names_the_steady_count_decides() -> None:
    assert sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n") == ";"
    assert sniff_delimiter("a|b\n1|2\n") == "|"
    assert sniff_delimiter("a,b\n1,2\n") == ","
    assert sniff_delimiter("one column\nonly\n") == ","
    assert sniff_delimiter("") == ","
    assert sniff_delimiter('"unclosed;quote\n') in (",", ";")  # never raises


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_has_some_delimiter(text: str) -> None:
    assert sniff_delimiter(text) in ",;\t|"
    assert sniff_sheet_delimiter(text, whole=False) in ",;\t|"


# -- whole files and the CLI ---------------------------------------------------------


def test_a_european_excel_csv_imports_and_says_how(tmp_path: Path, capsys) -> None:
    path = DATA / "european.csv"
    before = path.read_bytes()
    timeline, reading = read_import(path)
    assert str(reading) == "TimelineJS sheet CSV · semicolon-separated · Windows-1252"
    assert timeline.title == "Chronique européenne"
    assert [e.title for e in timeline.events][:2] == ["Prise de la Bastille", "Première République"]
    assert timeline.events[1].description == "Abolition de la royauté; an I"
    assert timeline.events[2].start.iso() == "1804-12-02T14:00"
    db = tmp_path / "e.db"
    assert main(["import", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"imported 4 events into {db} (4 in all), "
        "read as TimelineJS sheet CSV · semicolon-separated · Windows-1252\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("encoding", "delimiter", "said"),
    [
        ("utf-16", "\t", "tab-separated · UTF-16 LE"),
        ("utf-8-sig", ",", "comma-separated · UTF-8"),
        ("cp1252", ";", "semicolon-separated · Windows-1252"),
        ("utf-16-be", "|", "pipe-separated · UTF-16 BE"),
    ],
)
def test_the_cli_imports_any_encoding_and_delimiter(
    tmp_path: Path, capsys, encoding: str, delimiter: str, said: str
) -> None:
    src = tmp_path / "sheet.txt"  # the extension says nothing: the content does
    src.write_bytes(with_delimiter(SHEET, delimiter).encode(encoding))
    db = tmp_path / "s.db"
    assert main(["import", str(src), "--db", str(db)]) == 0
    assert capsys.readouterr().out.endswith(f"read as TimelineJS sheet CSV · {said}\n")
    with EventStore.open(db) as store:
        got = [(e.title, e.start.iso(), e.category) for e in store.events()]
        assert sorted(got) == sorted(EXPECTED)


# -- streaming -----------------------------------------------------------------------


def big_sheet(rows: int, late: str = "") -> str:
    lines = ["Year;Month;Headline;Text\r\n"]
    lines += [f"{1000 + i % 900};{1 + i % 12};Event {i};Plain text {i}\r\n" for i in range(rows)]
    if late:
        lines.append(f"2001;1;{late};Late\r\n")
    return "".join(lines)


def test_a_cp1252_letter_after_the_first_bytes_still_streams(tmp_path: Path) -> None:
    # The first 64 KB are ASCII, so UTF-8 and cp1252 read them alike; the "é" past
    # them shows the file is cp1252, and the stream goes on in cp1252.
    text = big_sheet(3000, late="Fête")
    data = text.encode("cp1252")
    assert len(data) > SNIFF_BYTES and data[:SNIFF_BYTES].isascii()
    src = tmp_path / "late.csv"
    src.write_bytes(data)
    source = open_import(src)
    assert source.streamed
    batches = list(source.batches)
    titles = [t for b in batches for t in b.title]
    assert titles == [e.title for e in read_file(src).events]
    assert titles[-1] == "Fête"
    assert str(source.reading) == "TimelineJS sheet CSV · semicolon-separated · Windows-1252"


def test_utf8_then_not_in_a_stream_is_refused_naming_the_line(tmp_path: Path) -> None:
    data = big_sheet(3000, late="Fête").encode("utf-8") + b"2002;1;F\xeate;x\r\n"
    src = tmp_path / "mixed.csv"
    src.write_bytes(data)
    source = open_import(src)
    with pytest.raises(FormatError) as info:
        list(source.batches)
    assert info.value.source == str(src)
    assert info.value.where == "line 3003"
    assert "mixed" in info.value.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])
def test_streamed_and_whole_reads_agree_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    text = big_sheet(2500, late="Ünïcodé")
    src = tmp_path / "big.csv"
    src.write_bytes(text.encode(encoding))
    source = open_import(src)
    assert source.streamed
    titles = [t for b in source.batches for t in b.title]
    assert titles == [e.title for e in read_file(src).events]
    assert titles[-1] == "Ünïcodé"


def test_stream_lines_keeps_line_ends_and_closes(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes("a\r\nb\rc\n".encode("utf-16"))
    _text, decoding = decode_head(src.read_bytes(), whole=True)
    assert list(stream_lines(src, decoding)) == ["a\r\n", "b\r", "c\n"]


# -- round trips ---------------------------------------------------------------------


def _representable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    timelines(),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_a_sheet_csv_in_any_encoding_and_delimiter_imports_the_same_events(
    tmp_path_factory, timeline: Timeline, encoding: str, delimiter: str
) -> None:
    text = write_sheet_csv(timeline)
    if not _representable(text, encoding):
        return  # (cp1252 has no "✓"; a writer in it could not have written it)
    again = with_delimiter(text, delimiter)
    path = tmp_path_factory.mktemp("enc") / "sheet.csv"
    path.write_bytes(again.encode(encoding))
    assert read_file(path) == read_sheet_csv(text, str(path))
