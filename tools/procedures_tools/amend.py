"""`procedures amend`: commit the staged change with the right `Amendment:` trailer, after `check`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mkdocs_procedures.core.amendments import amendment_for
from mkdocs_procedures.core.history import FileChange

from .manual import Manual


@dataclass(frozen=True)
class Touched:
    path: str
    chapter: str
    board: str | None


def staged_changes(manual: Manual) -> list[Touched]:
    """The chapters and boards the staged change touches."""
    repository = manual.repository()
    raw = repository.git.diff("--cached", "--name-status", "-M", "--relative", "-z")
    tokens = [token for token in raw.split("\0") if token]
    touched = []
    catalogue = manual.catalogue()
    now = dt.datetime.now(dt.UTC)
    index = 0
    while index < len(tokens):
        status = tokens[index]
        paths = tokens[index + 1: index + (3 if status[0] in "RC" else 2)]
        index += 1 + len(paths)
        change = FileChange(status[0], paths[-1], paths[0] if len(paths) == 2 else None, None, None)
        amendment = amendment_for(paths[-1], change, catalogue, "", now, ZoneInfo("UTC"), "", lambda blob: None)
        if amendment is not None:
            touched.append(Touched(paths[-1], amendment.title, amendment.board))
        else:
            touched.append(Touched(paths[-1], "(not manual content)", None))
    return touched


def commit(manual: Manual, subject: str, details: str | None) -> str:
    """Commit what is staged with `Amendment: <details>` (None: `Amendment: none`); returns the sha."""
    repository = manual.repository()
    trailer = f"Amendment: {details.strip()}" if details else "Amendment: none"
    repository.git.commit("-m", subject, "-m", trailer)
    return str(repository.head.commit.hexsha)
