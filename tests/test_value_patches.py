"""A contact changed in `board.yml` written into pages already made (`mkdocs serve`): the result must be the
page a build makes, and the page is refused (made again) wherever the old text is not exactly where the
chapter and the overlay name the value."""

from __future__ import annotations

import pytest

from mkdocs_procedures.render.value_patches import (
    ValueChange,
    board_copy_with,
    changes_shown,
    plain_value,
    regional_page_with,
)

from .conftest import BOARD, Project, chapter

PHONE, EMAIL = "{{ board.contacts.front_door.phone }}", "{{ board.contacts.front_door.email }}"
NORTH = BOARD.replace("    phone: 01632 960111\n", "    phone: 01632 960111\n    email: door@north.example.org\n")
SOUTH = NORTH.replace("North", "South").replace("north", "south").replace("960111", "960444")


@pytest.fixture
def named(manual: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Both boards' numbers and e-mail addresses named by a chapter's text and by each board's overlay."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    manual.plugin_config()["regional_values"].update({"contacts.front_door.email": "your local address"})
    manual.write("boards/north/board.yml", NORTH)
    manual.write("boards/south/board.yml", SOUTH)
    manual.write_pages({"responding/referrals.md": chapter(
        "Referrals", f"## When to refer\n\nRing {PHONE} or write to {EMAIL}.\n\nThen ring {PHONE} again.\n")})
    manual.write("boards/north/overlays/referrals.md", f"::: end-of #when-to-refer\nNorth: ring {PHONE}, {EMAIL}.\n:::\n")
    manual.write("boards/south/overlays/referrals.md", f"::: end-of #when-to-refer\nSouth: ring {PHONE}.\n:::\n")
    return manual


def pages(manual: Project) -> tuple[bytes, bytes, bytes]:
    """The regional page and each board's copy of it, as built."""
    site = manual.build()
    return tuple((site / folder / "responding/referrals/index.html").read_bytes()  # type: ignore[return-value]
                 for folder in ("", "north", "south"))


def north_changes(manual: Project, old: dict[str, str], new: dict[str, str]) -> list[ValueChange]:
    blocks = [(manual.root / "boards/north/overlays/referrals.md").read_text()]
    body = (manual.root / "docs/responding/referrals.md").read_text().split("---", 2)[2]
    changes = changes_shown(old, new, body, blocks)
    assert changes is not None
    return changes


def test_a_changed_number_and_address_written_in_are_the_pages_a_build_makes(named: Project) -> None:
    regional, north, south = pages(named)
    old = {"contacts.front_door.phone": "01632 960111", "contacts.front_door.email": "door@north.example.org"}
    new = {"contacts.front_door.phone": "01632 960222", "contacts.front_door.email": "hall@north.example.org"}
    changes = north_changes(named, old, new)
    assert {(change.path, change.regional_count, change.block_count) for change in changes} == {
        ("contacts.front_door.phone", 2, 1), ("contacts.front_door.email", 1, 1)}
    named.write("boards/north/board.yml", NORTH.replace("960111", "960222").replace("door@north", "hall@north"))
    rebuilt_regional, rebuilt_north, rebuilt_south = pages(named)
    assert regional_page_with(regional, "north", changes) == rebuilt_regional
    assert board_copy_with(north, changes) == rebuilt_north
    assert south == rebuilt_south, "south's copy does not change"


def test_a_page_holding_the_old_text_anywhere_else_is_refused(named: Project) -> None:
    old, new = {"contacts.front_door.phone": "01632 960111"}, {"contacts.front_door.phone": "01632 960222"}
    regional, north, _ = pages(named)
    changes = north_changes(named, old, new)
    assert regional_page_with(regional, "north", changes) is not None
    typed = regional.replace(b"Then ring", b"Then ring 01632 960111, or", 1)
    assert regional_page_with(typed, "north", changes) is None, "the number typed into the text"
    assert board_copy_with(north.replace(b"Then ring", b"Then ring 01632 960111, or", 1), changes) is None
    # South's number is the same as North's: South's hidden value and block hold the old text too.
    named.write("boards/south/board.yml", SOUTH.replace("960444", "960111"))
    shared, _, _ = pages(named)
    assert regional_page_with(shared, "north", changes) is None
    # A heading naming the value: the navigation's table of contents holds its text, out of any span.
    named.write("boards/south/board.yml", SOUTH)
    named.write_pages({"responding/referrals.md": chapter("Referrals", f"## When to refer\n\n### Ring {PHONE}\n\nText.\n")})
    heading, _, _ = pages(named)
    blocks = [(named.root / "boards/north/overlays/referrals.md").read_text()]
    in_heading = changes_shown(old, new, f"### Ring {PHONE}", blocks)
    assert in_heading is not None and regional_page_with(heading, "north", in_heading) is None


@pytest.mark.parametrize("text", ["Door & hall", "*urgent*", "[call](javascript:alert(1))", "01632  960111", "a_b",
                                  "<b>", "", "it's"])
def test_a_value_html_or_markdown_would_read_as_syntax_is_not_written_in(text: str) -> None:
    assert not plain_value(text)
    before, after = {"contacts.front_door.phone": "01632 960111"}, {"contacts.front_door.phone": text}
    assert changes_shown(before, after, f"Ring {PHONE}.", []) is None
    assert changes_shown(after, before, "", [f"Ring {PHONE}."]) is None


def test_a_value_the_sites_markdown_would_change_is_not_written_in() -> None:
    before, after = {"contacts.front_door.label": "Door"}, {"contacts.front_door.label": "Door c/o the 1st floor"}
    label = "{{ board.contacts.front_door.label }}"
    assert changes_shown(before, after, f"Ask {label}.", []) is not None
    assert changes_shown(before, after, f"Ask {label}.", [], shown_as_written=lambda text: "/" not in text) is None
    assert changes_shown(before, after, "Names no value.", []) == []


def test_the_board_values_named_are_counted_by_path() -> None:
    changes = changes_shown({"contacts.a.phone": "1", "contacts.b.phone": "2"},
                            {"contacts.a.phone": "3", "contacts.b.phone": "4"},
                            "{{ board.contacts.a.phone }} {{board.contacts.a.phone}}", ["{{ board.contacts.b.phone }}"])
    assert changes is not None
    assert [(change.path, change.regional_count, change.block_count) for change in changes] == [
        ("contacts.a.phone", 2, 0), ("contacts.b.phone", 0, 1)]
