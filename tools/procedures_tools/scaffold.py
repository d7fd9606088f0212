"""`procedures new-chapter` and `new-board`: correctly formed files from templates, never overwriting."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from mkdocs_procedures.core.boards import BOARD_ID
from mkdocs_procedures.core.problems import did_you_mean

from .manual import Manual, ManualError

CHAPTER_TEMPLATE = """\
---
title: {title}
id: {chapter_id}
status: current
owner: Regional Procedures Group
last_reviewed: {today}
next_review: {next_review}
---

## Purpose

Say in a sentence or two what this procedure is for and who should follow it.

## What to do

1. The first thing a practitioner should do.
2. The next step.
"""

BOARD_TEMPLATE = """\
# Who this board is and how to reach its local services. Replace every example value.
name: {name}
short_name: {short_name}
website: https://{board_id}.example.org/
contacts:
  front_door:
    label: Children's front door
    phone: 01632 960000
    email: front.door@{board_id}.example.org
admins:
  - name: {short_name} procedures lead
    email: procedures@{board_id}.example.org
# The e-mail digest of amendments (`procedures digest`) goes to the board's mailing list:
# digest:
#   to: procedures-updates@lists.{board_id}.example.org
#   unsubscribe: mailto:procedures-updates-leave@lists.{board_id}.example.org
"""

PAGE_TEMPLATE = """\
---
title: {short_name} Local Contacts
id: local-contacts
owner: {short_name} procedures lead
---

## Worried about a child?

If a child is in immediate danger, call the police on 999. Otherwise contact
{{{{ board.contacts.front_door.label }}}} on {{{{ board.contacts.front_door.phone }}}}.
"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def new_chapter(manual: Manual, part: str, title: str, today: dt.date) -> Path:
    """Write the chapter file under its part's folder and add it to that part in mkdocs.yml's nav."""
    config_file = manual.root / "mkdocs.yml"
    lines = config_file.read_text(encoding="utf-8").split("\n")
    parts = _nav_parts(lines)
    if part not in parts:
        raise ManualError(f"mkdocs.yml: no part `{part}` in the nav; {did_you_mean(part, parts)}")
    part_line, indent = parts[part]
    children = _children(lines, part_line, indent)
    folder = next((child.rsplit("/", 1)[0] for child in
                   (lines[index].split("- ", 1)[1].split(": ")[-1].strip() for index in children)
                   if "/" in child), slug(part))
    chapter_id = slug(title)
    target = manual.root / manual.docs_dir / folder / f"{chapter_id}.md"
    if target.exists():
        raise ManualError(f"{target.relative_to(manual.root)} already exists; choose another title")
    if any(chapter.chapter.id == chapter_id for chapter in manual.chapters):
        raise ManualError(f"a chapter already has the id `{chapter_id}`; choose another title")
    target.parent.mkdir(parents=True, exist_ok=True)
    next_review = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) \
        else today + dt.timedelta(days=365)
    target.write_text(CHAPTER_TEMPLATE.format(title=title, chapter_id=chapter_id, today=today.isoformat(),
                                              next_review=next_review.isoformat()), encoding="utf-8")
    child_indent = (len(lines[children[0]]) - len(lines[children[0]].lstrip())) if children else indent + 4
    insert_at = (children[-1] if children else part_line) + 1
    lines.insert(insert_at, " " * child_indent + f"- {folder}/{chapter_id}.md")
    config_file.write_text("\n".join(lines), encoding="utf-8")
    return target


def _nav_parts(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Each nav section's title → (its line index, its indentation)."""
    parts: dict[str, tuple[int, int]] = {}
    in_nav = False
    for index, line in enumerate(lines):
        if re.match(r"^nav:\s*$", line):
            in_nav = True
            continue
        if in_nav and line and not line.startswith((" ", "-", "#")):
            break
        match = re.match(r"^(\s*)- (.+?):\s*$", line)
        if in_nav and match:
            parts[match.group(2).strip("'\"")] = (index, len(match.group(1)))
    return parts


def _children(lines: list[str], part_line: int, indent: int) -> list[int]:
    children = []
    for index in range(part_line + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= indent:
            break
        children.append(index)
    return children


def new_board(manual: Manual, board_id: str, name: str) -> list[Path]:
    """Create `boards/<id>/` with a board.yml and a first board-only page."""
    if not BOARD_ID.match(board_id):
        raise ManualError(f"`{board_id}` cannot be a board id; expected lower-case letters, digits and hyphens")
    boards = manual.root / (manual.boards_dir or "boards")
    folder = boards / board_id
    if folder.exists():
        raise ManualError(f"{folder.relative_to(manual.root)} already exists; a board's files are never overwritten")
    top_names = {chapter.src_uri.split("/", 1)[0].removesuffix(".md") for chapter in manual.chapters}
    if board_id in top_names:
        raise ManualError(f"`{board_id}` collides with the regional path `/{board_id}/`; choose another id")
    short_name = name.split(" Safeguarding")[0].strip() or name
    written = [folder / "board.yml", folder / "pages" / "local-contacts.md"]
    (folder / "pages").mkdir(parents=True)
    (folder / "overlays").mkdir()
    written[0].write_text(BOARD_TEMPLATE.format(name=name, short_name=short_name, board_id=board_id),
                          encoding="utf-8")
    written[1].write_text(PAGE_TEMPLATE.format(short_name=short_name), encoding="utf-8")
    return written
