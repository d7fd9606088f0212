"""QR codes for the print stamp: drawn as inline SVG, kept on disk by the text they carry."""

from __future__ import annotations

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


def test_a_code_is_kept_on_disk_and_read_back_by_a_later_build(tmp_path: Path) -> None:
    first = QrCodes(tmp_path).svg(ADDRESS)
    [kept] = tmp_path.glob("*/*.svg")
    assert kept.read_text(encoding="utf-8") == first
    kept.write_text("<svg>kept</svg>", encoding="utf-8")  # a later build must take the kept file, not redraw
    assert QrCodes(tmp_path).svg(ADDRESS) == "<svg>kept</svg>"
    assert QrCodes(tmp_path).svg(ADDRESS + "&x") != "<svg>kept</svg>"
