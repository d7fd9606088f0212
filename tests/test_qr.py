"""QR codes for the print stamp: drawn as inline SVG, kept on disk in one file per page."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_procedures.render.qr import QrCodes

ADDRESS = "https://procedures.example.org/check/?c=child-deaths&v=0123456789ab&b=dudley"


def test_a_code_is_inline_svg_with_a_text_alternative() -> None:
    svg = QrCodes(None).svg(ADDRESS)
    assert svg.startswith('<svg role="img" aria-label="QR code of the check address" ')
    assert svg.endswith("</svg>") and "<path" in svg and "<?xml" not in svg


def test_different_addresses_give_different_codes() -> None:
    codes = QrCodes(None)
    assert codes.svg(ADDRESS) != codes.svg(ADDRESS.replace("dudley", "sandwell"))


def test_a_pages_codes_are_kept_in_one_file_and_read_back_by_a_later_build(tmp_path: Path) -> None:
    board = ADDRESS.replace("dudley", "sandwell")
    codes = QrCodes(tmp_path)
    first = [codes.svg(ADDRESS, "child-deaths/"), codes.svg(board, "child-deaths/")]
    assert not list(tmp_path.rglob("*.json"))  # nothing is kept until the page's codes are all asked for
    codes.keep("child-deaths/")
    [kept] = tmp_path.rglob("*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == {ADDRESS: first[0], board: first[1]}
    kept.write_text(json.dumps({ADDRESS: "<svg>kept</svg>"}), encoding="utf-8")  # taken, not drawn again
    later = QrCodes(tmp_path)
    assert later.svg(ADDRESS, "child-deaths/") == "<svg>kept</svg>"
    assert later.svg(board, "child-deaths/") == first[1]
    assert QrCodes(tmp_path).svg(ADDRESS, "other-page/") == first[0]


def test_a_pages_file_holds_the_codes_it_showed_last_and_a_reader_writes_nothing(tmp_path: Path) -> None:
    older = ADDRESS.replace("0123456789ab", "ba9876543210")
    codes = QrCodes(tmp_path)
    codes.svg(older, "child-deaths/")
    codes.keep("child-deaths/")
    [kept] = tmp_path.rglob("*.json")
    reader = QrCodes(tmp_path)  # a copies' process: it asks for a code the file lacks, and keeps nothing
    reader.svg(ADDRESS, "child-deaths/")
    assert list(json.loads(kept.read_text(encoding="utf-8"))) == [older]
    amended = QrCodes(tmp_path)  # the chapter was amended: its page shows the new version's code only
    amended.svg(ADDRESS, "child-deaths/")
    amended.keep("child-deaths/")
    assert list(json.loads(kept.read_text(encoding="utf-8"))) == [ADDRESS]
    written = kept.stat().st_ino  # a file written again is a new one, renamed over it
    again = QrCodes(tmp_path)
    again.svg(ADDRESS, "child-deaths/")
    again.keep("child-deaths/")  # the same codes as the file's: not written again
    assert kept.stat().st_ino == written
