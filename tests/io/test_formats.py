"""Choosing a format and reading whole files (viewer.io.formats)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viewer.io.errors import FormatError
from viewer.io.formats import detect_format, export_text, read_file
from viewer.paths import sample_path


def test_bundled_sample_exports_only_the_parts_each_date_has():
    timeline = read_file(sample_path())
    assert len(timeline.events) == 14
    data = json.loads(export_text(timeline, "timelinejs"))
    first = data["events"][0]["start_date"]
    assert first == {"year": "2000", "month": "7"}
    assert "day" not in first
    assert data["events"][3]["start_date"].keys() == {"year", "month"}  # February 2020
    assert data["events"][1]["end_date"]["day"] in ("22", 22)


def test_format_is_chosen_by_content_when_the_extension_lies(tmp_path: Path):
    path = tmp_path / "events.txt"
    path.write_text(json.dumps({"events": [{"start_date": {"year": 1999}, "text": {}}]}))
    assert detect_format(path, path.read_text()).name == "timelinejs"
    assert len(read_file(path).events) == 1


def test_format_can_be_forced(tmp_path: Path):
    path = tmp_path / "events.json"
    path.write_text("Lead.\nJuly, 2000\nA visit.\n")
    assert read_file(path, "news").events[0].start.iso() == "2000-07"


def test_binary_file_is_a_clear_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "picture.txt"
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    path.write_bytes(data)
    with pytest.raises(FormatError, match=r"picture\.txt.*not UTF-8"):
        read_file(path)
    assert path.read_bytes() == data


def test_unknown_format_name_is_refused(tmp_path: Path):
    path = tmp_path / "x.txt"
    path.write_text("July, 2000\nA visit.\n")
    with pytest.raises(FormatError, match="unknown format"):
        read_file(path, "yaml")


def test_a_line_break_inside_a_csv_cell_is_kept_as_written(tmp_path: Path):
    # Reading a file turned every "\r\n" into "\n", inside quoted cells too.
    path = tmp_path / "sheet.csv"
    path.write_bytes(b'Year,Headline,Text\r\n1946,ENIAC,"Six women\r\nprogram it."\r\n')
    (event,) = read_file(path).events
    assert event.description == "Six women\r\nprogram it."


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_any_line_end_reads_and_places_errors_by_line(tmp_path: Path, newline: str):
    news = tmp_path / "news.txt"
    news.write_bytes(newline.join(["Lead.", "July, 2000", "A visit.", ""]).encode())
    assert [e.start.iso() for e in read_file(news).events] == ["2000-07"]
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(newline.join(["Year,Headline", "2000,A visit", ""]).encode())
    assert [e.title for e in read_file(sheet).events] == ["A visit"]
    broken = tmp_path / "broken.json"
    broken.write_bytes(newline.join(["{", '  "events": [', "    {]", "}"]).encode())
    with pytest.raises(FormatError) as info:
        read_file(broken)
    assert info.value.where == "line 3, column 6"
