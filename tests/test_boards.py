"""board.yml: validated with the board, file, line and what was expected; board values."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_procedures.core.boards import (
    Board,
    BoardValues,
    board_from_text,
    changed_values,
    load_board,
    value_paths_in,
)
from mkdocs_procedures.core.problems import Severity

GOOD = """\
name: North Safeguarding Partnership
short_name: North
website: https://north.example.org/
colour: "#336699"
contacts:
  front_door:
    label: North front door
    phone: 01632 960111
    email: front.door@north.example.org
admins:
  - name: North procedures lead
    email: procedures@north.example.org
    github: "@example/north-admins"
"""


def write_board(tmp_path: Path, text: str | None, board_id: str = "north") -> Path:
    folder = tmp_path / "boards" / board_id
    folder.mkdir(parents=True)
    if text is not None:
        (folder / "board.yml").write_text(text)
    return folder


def test_a_good_board_is_read(tmp_path: Path) -> None:
    board, problems = load_board(write_board(tmp_path, GOOD), tmp_path)
    assert problems == []
    assert board is not None
    assert (board.id, board.short_name, board.colour) == ("north", "North", "#336699")
    assert board.value("contacts.front_door.phone") == "01632 960111"
    assert board.value("name") == "North Safeguarding Partnership"
    assert board.value("contacts.front_door.hours") is None
    assert board.admins[0].github == "@example/north-admins"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("short_name: North\n", ""),
         "boards/north/board.yml:1: board `north`: field `short_name`: is required; expected a short name"),
        (lambda t: t.replace("https://north.example.org/", "north.example.org"),
         "boards/north/board.yml:3: board `north`: field `website`: expected a web address starting https://, found `north.example.org`"),
        (lambda t: t.replace("01632 960111", "call us"),
         "boards/north/board.yml:8: board `north`: field `contacts.front_door.phone`: expected a telephone number, found `call us`"),
        (lambda t: t.replace("    phone: 01632 960111\n    email: front.door@north.example.org\n", ""),
         "boards/north/board.yml:6: board `north`: field `contacts.front_door`: expected a `phone` or an `email`"),
        (lambda t: t.replace('"#336699"', "blue"),
         "boards/north/board.yml:4: board `north`: field `colour`: expected a colour written #rrggbb, found `blue`"),
        (lambda t: t.replace("    email: procedures@north.example.org\n", ""),
         "boards/north/board.yml:11: board `north`: field `admins.0.email`: is required"),
        (lambda t: t.split("admins:")[0],
         "boards/north/board.yml:1: board `north`: field `admins`: expected a list of the people"),
        (lambda t: t + "name: [\n", "boards/north/board.yml:15: board `north`: not valid YAML"),
        (lambda t: t.replace("front.door@north.example.org", '"<svg/onload=alert(1)>@x.org"'),
         "boards/north/board.yml:9: board `north`: field `contacts.front_door.email`: expected an e-mail address"),
        (lambda t: t.replace("https://north.example.org/", "'https://x/\"><script>alert(1)</script>'"),
         "boards/north/board.yml:3: board `north`: field `website`: expected a web address starting https://"),
        (lambda t: t.replace("https://north.example.org/", "javascript:alert(1)"),
         "boards/north/board.yml:3: board `north`: field `website`: expected a web address starting https://"),
        (lambda t: t.replace('"@example/north-admins"', '"@x\\n* @attacker"'),
         "boards/north/board.yml:13: board `north`: field `admins.0.github`: expected a GitHub user `@name` or team"),
        (lambda t: t.replace('"@example/north-admins"', "north-admins"),
         "boards/north/board.yml:13: board `north`: field `admins.0.github`: expected a GitHub user `@name` or team"),
        (lambda t: t.replace('"#336699"', '"#ef6c00"'),
         "boards/north/board.yml:4: board `north`: field `colour`: `#ef6c00` gives the white \"Local\" tag a contrast "
         "of 3.08:1; expected at least 4.5:1 (WCAG AA): the nearest shade that has it is `#c25700`"),
    ],
)
def test_board_mistakes_name_board_file_line_and_field(tmp_path: Path, change: object, expected: str) -> None:
    board, problems = load_board(write_board(tmp_path, change(GOOD)), tmp_path)  # type: ignore[operator]
    assert board is None
    assert any(str(problem).startswith(expected) for problem in problems), [str(p) for p in problems]


def test_a_missing_board_yml_is_an_error(tmp_path: Path) -> None:
    _, problems = load_board(write_board(tmp_path, None), tmp_path)
    assert [str(p) for p in problems] == [
        "boards/north/board.yml: board `north`: board.yml is missing; expected `name`, `short_name`, `website`, "
        "`contacts` and `admins`"
    ]


def test_unknown_fields_are_warnings(tmp_path: Path) -> None:
    board, problems = load_board(write_board(tmp_path, GOOD + "logo_url: x\n"), tmp_path)
    assert board is not None
    assert [(str(p), p.severity) for p in problems] == [
        ("boards/north/board.yml:14: board `north`: field `logo_url`: unknown field is ignored; expected one of "
         "`admins`, `colour`, `contacts`, `digest`, `name`, `short_name`, `website`", Severity.WARNING)
    ]


def test_values_fall_back_to_the_regional_default_and_undefined_ones_are_errors(tmp_path: Path) -> None:
    board, _ = load_board(write_board(tmp_path, GOOD), tmp_path)
    assert isinstance(board, Board)
    values = BoardValues({"north": board}, {"contacts.out_of_hours.phone": "your local number"})
    assert values.for_board(board, "contacts.out_of_hours.phone") == "your local number"
    assert values.for_board(board, "contacts.front_door.phone") == "01632 960111"
    text = "Line one\nCall {{ board.contacts.front_dor.phone }} now.\n"
    assert [str(p) for p in values.problems_in("docs/a.md", text, 5, board)] == [
        "docs/a.md:6: board value `contacts.front_dor.phone` is not defined in boards/north/board.yml and has no "
        "regional default; did you mean `contacts.front_door.phone`?"
    ]
    assert [str(p) for p in values.problems_in("docs/a.md", "{{ board.contacts.front_door.phone }}")] == [
        "docs/a.md:1: board value `contacts.front_door.phone` has no regional default: add it under "
        "`regional_values` in mkdocs.yml; the boards have it; the regional site shows the default"
    ]
    assert [str(p) for p in values.problems_in("docs/a.md", "{{ board.contacts.front_dor.phone }}")] == [
        "docs/a.md:1: board value `contacts.front_dor.phone` has no regional default: add it under "
        "`regional_values` in mkdocs.yml; did you mean `contacts.front_door.phone`?"
    ]


def test_an_earlier_version_shows_a_low_contrast_colour_in_the_nearest_shade_that_passes(tmp_path: Path) -> None:
    text = GOOD.replace('"#336699"', '"#ef6c00"')
    board, problems = load_board(write_board(tmp_path, text), tmp_path, earlier=True)
    assert problems == [] and board is not None and board.colour == "#c25700"


def _board(text: str) -> Board:
    board, problems = board_from_text("north", "boards/north/board.yml", text)
    assert board is not None, problems
    return board


@pytest.mark.parametrize(("edit", "expected"), [
    (("01632 960111", "01632 960222"), {"contacts.front_door.phone"}),
    (("label: North front door", "label: Front door"), {"contacts.front_door.label"}),
    (("    email: front.door@north.example.org\n", ""), {"contacts.front_door.email"}),
    (("contacts:\n", "contacts:\n  out_of_hours:\n    label: Nights\n    phone: 01632 960333\n"),
     {"contacts.out_of_hours.label", "contacts.out_of_hours.phone"}),
    (("short_name: North", "short_name: North Area"), None),
    (("#336699", "#335599"), None),
    (("procedures lead", "lead"), None),
    (("", ""), set()),
])
def test_what_changed_in_a_board_is_the_values_or_everything(edit: tuple[str, str], expected: set[str] | None) -> None:
    """`make serve` makes again only the pages showing a changed value, unless what every page shows changed."""
    assert changed_values(_board(GOOD), _board(GOOD.replace(*edit))) == expected
    assert changed_values(None, _board(GOOD)) is None and changed_values(_board(GOOD), None) is None


def test_the_values_a_text_names() -> None:
    text = "Ring {{ board.contacts.front_door.phone }} or {{board.name}}; {{ page.title }} is not one of them."
    assert value_paths_in(text) == {"contacts.front_door.phone", "name"}
