"""Local safeguarding boards: who they are (`boards/<id>/board.yml`) and the values they lend the text.

Regional chapters may use a board's values, such as `{{ board.contacts.front_door.phone }}`; each
board's site shows its own value, and the regional site a regional default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .located_yaml import Located, LocatedYamlError, load_located
from .problems import Problem, Severity, did_you_mean
from .site_layout import REGIONAL_SITE_NAMES
from .source_files import read_text, why_not_read

BOARD_FILE = "board.yml"
BOARD_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BOARD_FIELDS = ("name", "short_name", "website", "contacts", "admins", "colour", "digest")
DIGEST_FIELDS = ("to", "unsubscribe")
CONTACT_FIELDS = ("label", "phone", "email", "hours", "address", "notes")
ADMIN_FIELDS = ("name", "email", "github")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{6,}[0-9]$")
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[A-Za-z0-9._%+-]+@{_HOST_LABEL}(?:\.{_HOST_LABEL})+$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# An http(s) address: a host name, a port, then a path, query and fragment of the characters an address
# may hold unescaped; no quotes, angle brackets or spaces, so it is never more than an address in HTML.
_URL = re.compile(r"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
                  r"(?:[/?#][A-Za-z0-9._~%!$&()*+,;=:@/?#-]*)?$")
_UNSUBSCRIBE = re.compile(rf"^mailto:[A-Za-z0-9._%+-]+@{_HOST_LABEL}(?:\.{_HOST_LABEL})+$|{_URL.pattern[1:-1]}$")
_GITHUB = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]{1,100})?$")
TAG_CONTRAST = 4.5
"""WCAG 2.2 AA contrast for the white "Local" tag on a board's colour (text at normal size)."""
# `{{ board.contacts.front_door.phone }}` in Markdown: a board value, by its path in board.yml.
VALUE_PLACEHOLDER = re.compile(r"\{\{\s*board\.(?P<path>[A-Za-z0-9_.-]+)\s*\}\}")


@dataclass(frozen=True)
class Contact:
    """A named local contact, such as the front door (MASH) or the designated officer."""

    key: str
    label: str
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    address: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Admin:
    """Someone who maintains a board's overlay; `github` names them for CODEOWNERS."""

    name: str
    email: str
    github: str | None = None


@dataclass(frozen=True)
class DigestSettings:
    """Where the board's e-mail digest of amendments goes: its mailing list's address, and how a reader
    leaves the list (a `mailto:` or https address), told in the message's `List-Unsubscribe` header."""

    to: str
    unsubscribe: str | None = None


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    short_name: str
    website: str
    contacts: Mapping[str, Contact]
    admins: tuple[Admin, ...]
    colour: str | None = None
    digest: DigestSettings | None = None
    config_path: str = ""
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def value(self, path: str) -> str | None:
        """The text of a board value by its path (`name`, `contacts.front_door.phone`), or None."""
        parts = path.split(".")
        if len(parts) == 1 and parts[0] in ("name", "short_name", "website"):
            return str(getattr(self, parts[0]))
        if len(parts) == 3 and parts[0] == "contacts" and parts[2] in CONTACT_FIELDS:
            contact = self.contacts.get(parts[1])
            if contact is not None:
                found = getattr(contact, parts[2])
                return str(found) if found is not None else None
        return None

    def value_paths(self) -> Iterator[str]:
        yield from ("name", "short_name", "website")
        for contact in self.contacts.values():
            for name in CONTACT_FIELDS:
                if getattr(contact, name) is not None:
                    yield f"contacts.{contact.key}.{name}"


def load_board(folder: Path, root: Path, earlier: bool = False) -> tuple[Board | None, list[Problem]]:
    """Read and validate `folder/board.yml`; the board is None when it has errors.

    In an `earlier` version, published before the rule, a colour without enough contrast for the "Local"
    tag is shown in the nearest shade that has it, instead of stopping the build of that version."""
    board_id = folder.name
    config_file = folder / BOARD_FILE
    path = config_file.relative_to(root).as_posix()
    if not BOARD_ID.match(board_id):
        return None, [Problem(folder.relative_to(root).as_posix(), None,
                              f"board `{board_id}`: a board's folder name is its id; expected lower-case "
                              "letters, digits and hyphens (like `telford-wrekin`)")]
    if not config_file.is_file():
        return None, [Problem(path, None, f"board `{board_id}`: {BOARD_FILE} is missing; expected "
                              "`name`, `short_name`, `website`, `contacts` and `admins`")]
    text, unreadable = read_text(config_file, root)
    if text is None:
        return None, [Problem(problem.path, problem.line, f"board `{board_id}`: {problem.message}")
                      for problem in unreadable]
    return board_from_text(board_id, path, text, earlier)


def board_from_text(board_id: str, path: str, text: str, earlier: bool = False) -> tuple[Board | None, list[Problem]]:
    """A board from the text of its `board.yml` (at `path`), checked as `load_board` checks it."""
    try:
        located = load_located(text)
    except LocatedYamlError as error:
        return None, [Problem(path, error.line, f"board `{board_id}`: {error}")]
    reader = _BoardReader(board_id, path, located, earlier)
    return reader.board(), reader.problems


class _BoardReader:
    """Checks one board.yml field by field, collecting every problem with its line."""

    def __init__(self, board_id: str, path: str, located: Located, earlier: bool = False) -> None:
        self.board_id, self.path, self.located, self.earlier = board_id, path, located, earlier
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = located.values if isinstance(located.values, dict) else {}
        if not isinstance(located.values, dict):
            self.error("", "expected a mapping of fields (`name: ...`)")

    def error(self, field_path: str, message: str, severity: Severity = Severity.ERROR) -> None:
        where = f"field `{field_path}`: " if field_path else ""
        self.problems.append(
            Problem(self.path, self.located.line_of(field_path, 1), f"board `{self.board_id}`: {where}{message}",
                    severity)
        )

    def text(self, field_path: str, value: Any, required: bool, expected: str = "text",
             pattern: re.Pattern[str] | None = None) -> str | None:
        if value is None:
            if required:
                self.error(field_path, f"is required; expected {expected}")
            return None
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            self.error(field_path, f"expected {expected}, found {type(value).__name__}")
            return None
        text = str(value).strip()
        if pattern is not None and not pattern.match(text):
            self.error(field_path, f"expected {expected}, found `{text}`")
            return None
        return text

    def unknown(self, prefix: str, mapping: Mapping[str, Any], known: tuple[str, ...]) -> None:
        for name in mapping:
            if name not in known:
                self.error(f"{prefix}{name}", f"unknown field is ignored; {did_you_mean(name, known)}",
                           Severity.WARNING)

    def board(self) -> Board | None:
        values = self.values
        name = self.text("name", values.get("name"), True, "the board's full name")
        short_name = self.text("short_name", values.get("short_name"), True, "a short name such as `Dudley`")
        website = self.text("website", values.get("website"), True, "a web address starting https://", _URL)
        colour = self.text("colour", values.get("colour"), False, "a colour written #rrggbb", _COLOUR)
        if colour is not None and self.earlier and contrast_with_white(colour) < TAG_CONTRAST:
            colour = shade_for_white_text(colour)
        elif colour is not None and (ratio := contrast_with_white(colour)) < TAG_CONTRAST:
            self.error("colour", f"`{colour}` gives the white \"Local\" tag a contrast of {ratio:.2f}:1; expected at "
                       f"least {TAG_CONTRAST}:1 (WCAG AA): the nearest shade that has it is "
                       f"`{shade_for_white_text(colour)}`")
        contacts = self.contacts(values.get("contacts"))
        admins = self.admins(values.get("admins"))
        digest = self.digest(values.get("digest"))
        self.unknown("", values, BOARD_FIELDS)
        has_errors = any(problem.severity is Severity.ERROR for problem in self.problems)
        if has_errors or name is None or short_name is None or website is None:
            return None
        return Board(self.board_id, name, short_name, website, contacts, admins, colour, digest, self.path,
                     self.located.lines)

    def digest(self, raw: Any) -> DigestSettings | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error("digest", "expected `to` (the mailing list's address) and, optionally, `unsubscribe`")
            return None
        to = self.text("digest.to", raw.get("to"), True, "the mailing list's e-mail address", _EMAIL)
        unsubscribe = self.text("digest.unsubscribe", raw.get("unsubscribe"), False,
                                "a `mailto:` address or a web address starting https://", _UNSUBSCRIBE)
        self.unknown("digest.", raw, DIGEST_FIELDS)
        return DigestSettings(to, unsubscribe) if to else None

    def contacts(self, raw: Any) -> dict[str, Contact]:
        if not isinstance(raw, dict) or not raw:
            self.error("contacts", "expected named local contacts, for example `front_door:` with a `label` "
                       "and a `phone` or `email`")
            return {}
        contacts = {}
        for key, entry in raw.items():
            where = f"contacts.{key}"
            if not isinstance(entry, dict):
                self.error(where, "expected a `label` and a `phone` or `email`")
                continue
            label = self.text(f"{where}.label", entry.get("label"), True, "what the contact is called")
            phone = self.text(f"{where}.phone", entry.get("phone"), False, "a telephone number", _PHONE)
            email = self.text(f"{where}.email", entry.get("email"), False, "an e-mail address", _EMAIL)
            if entry.get("phone") is None and entry.get("email") is None:
                self.error(where, "expected a `phone` or an `email` (or both)")
            optional = {name: self.text(f"{where}.{name}", entry.get(name), False)
                        for name in ("hours", "address", "notes")}
            self.unknown(f"{where}.", entry, CONTACT_FIELDS)
            if label:
                contacts[key] = Contact(key, label, phone, email, **optional)
        return contacts

    def admins(self, raw: Any) -> tuple[Admin, ...]:
        if not isinstance(raw, list) or not raw:
            self.error("admins", "expected a list of the people who maintain this board's overlay, each with "
                       "`name` and `email`")
            return ()
        admins = []
        for index, entry in enumerate(raw):
            where = f"admins.{index}"
            if not isinstance(entry, dict):
                self.error(where, "expected `name` and `email`")
                continue
            name = self.text(f"{where}.name", entry.get("name"), True, "a name or role")
            email = self.text(f"{where}.email", entry.get("email"), True, "an e-mail address", _EMAIL)
            github = self.text(f"{where}.github", entry.get("github"), False,
                               "a GitHub user `@name` or team `@org/team`", _GITHUB)
            self.unknown(f"{where}.", entry, ADMIN_FIELDS)
            if name and email:
                admins.append(Admin(name, email, github))
        return tuple(admins)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(colour: str) -> float:
    """The contrast ratio of white text on `colour` (`#rrggbb`), from 1 to 21."""
    return 1.05 / (_luminance(colour) + 0.05)


def shade_for_white_text(colour: str) -> str:
    """The lightest darker shade of `colour` (the same hue, each channel scaled down alike) on which white
    text meets WCAG AA."""
    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    for step in range(100, -1, -1):
        shade = "#" + "".join(f"{round(value * step / 100):02x}" for value in (red, green, blue))
        if contrast_with_white(shade) >= TAG_CONTRAST:
            return shade
    return "#000000"


def changed_values(before: Board | None, after: Board | None) -> set[str] | None:
    """The value paths (`contacts.front_door.phone`) whose text differs between two readings of a board;
    None when more than values changed: a board added or gone, or what every page of the board shows
    (its name, short name, website, colour, admins). A contact shows only where a page names its value."""
    if before is None or after is None or replace(before, contacts={}) != replace(after, contacts={}):
        return None
    paths = {*before.value_paths(), *after.value_paths()}
    return {path for path in paths if before.value(path) != after.value(path)}


def value_paths_named(text: str) -> list[str]:
    """The board values `text` names, in order, each time it names one."""
    return [match.group("path") for match in VALUE_PLACEHOLDER.finditer(text)]


def value_paths_in(text: str) -> set[str]:
    """The board values `text` names (`{{ board.contacts.front_door.phone }}` → `contacts.front_door.phone`)."""
    return {match.group("path") for match in VALUE_PLACEHOLDER.finditer(text)}


def find_board_folders(boards_dir: Path) -> list[Path]:
    """Every folder directly under `boards_dir`, in id order."""
    return sorted(child for child in boards_dir.iterdir() if child.is_dir() and not child.name.startswith("."))


def survey_boards(boards_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """The board folders under `boards_dir` the build reads, and a problem for everything else there: a
    hidden or unreadable folder, a link, a stray file, an id the site's own folders take. Nothing in the
    boards' folder is passed over without a word."""
    folders: list[Path] = []
    problems: list[Problem] = []
    for child in sorted(boards_dir.iterdir()):
        path = child.relative_to(root).as_posix()
        if (reason := why_not_read(child, root)) is not None:
            problems.append(Problem(path, None, f"this {'folder' if child.is_dir() else 'file'} {reason}"))
        elif not child.is_dir():
            problems.append(Problem(path, None, "this file is not published: the boards' folder holds only one "
                                    "folder per board (`<board id>/board.yml`)", Severity.WARNING))
        elif child.name.startswith("."):
            problems.append(Problem(path, None, "a hidden folder is not a board and is not published; a board's "
                                    "folder name is its id, such as `telford-wrekin`", Severity.WARNING))
        elif not os.access(child, os.R_OK | os.X_OK):
            problems.append(Problem(path, None, "this board's folder cannot be read; expected a readable folder"))
        elif child.name in REGIONAL_SITE_NAMES:
            problems.append(Problem(path, None, f"board `{child.name}`: the site's own `/{child.name}/` takes this "
                                    f"name; a board may not be called any of "
                                    f"{', '.join(f'`{name}`' for name in sorted(REGIONAL_SITE_NAMES))}"))
        else:
            folders.append(child)
    return folders, problems


@dataclass(frozen=True)
class BoardValues:
    """Resolves `{{ board.<path> }}` for every board, falling back to the regional defaults."""

    boards: Mapping[str, Board]
    defaults: Mapping[str, str]

    def fill(self, text: str, board: Board) -> str:
        """`text` with each board value as `board` has it (or the regional default)."""
        return VALUE_PLACEHOLDER.sub(lambda match: self.for_board(board, match.group("path")) or match.group(0), text)

    def regional_wording(self, text: str) -> str:
        """`text` with each board value replaced by its regional default, as the regional site reads."""
        return VALUE_PLACEHOLDER.sub(lambda match: self.defaults.get(match.group("path"), match.group(0)), text)

    def known_paths(self) -> set[str]:
        return set(self.defaults) | {path for board in self.boards.values() for path in board.value_paths()}

    def for_board(self, board: Board, path: str) -> str | None:
        found = board.value(path)
        return found if found is not None else self.defaults.get(path)

    def problems_in(self, path: str, text: str, first_line: int = 1, board: Board | None = None) -> list[Problem]:
        """Every placeholder in `text` that cannot be filled: for `board`'s text, from that board or a
        regional default; for regional text (no board), from a regional default, which the regional
        site shows and boards without their own value inherit."""
        problems = []
        for match in VALUE_PLACEHOLDER.finditer(text):
            value_path = match.group("path")
            line = first_line + text.count("\n", 0, match.start())
            if board is not None and self.for_board(board, value_path) is None:
                problems.append(Problem(
                    path, line,
                    f"board value `{value_path}` is not defined in {board.config_path} and has no regional "
                    f"default; {did_you_mean(value_path, self.known_paths())}",
                ))
            elif board is None and value_path not in self.defaults:
                # A value the boards have needs only its regional wording; any other may be misspelt.
                hint = ("the boards have it; the regional site shows the default" if value_path in self.known_paths()
                        else did_you_mean(value_path, self.known_paths()))
                problems.append(Problem(
                    path, line,
                    f"board value `{value_path}` has no regional default: add it under `regional_values` in "
                    f"mkdocs.yml; {hint}",
                ))
        return problems
