"""`procedures review-report`: chapters whose review is overdue or due soon, by owner."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from .manual import Manual


@dataclass(frozen=True)
class Due:
    owner: str
    title: str
    path: str
    next_review: dt.date
    days: int
    """Days until the review is due; negative when it is overdue."""
    board: str | None

    @property
    def state(self) -> str:
        if self.days < 0:
            return f"overdue by {-self.days} day{'s' if self.days != -1 else ''}"
        return "due today" if self.days == 0 else f"due in {self.days} day{'s' if self.days != 1 else ''}"


def due_reviews(manual: Manual, today: dt.date, within: int) -> list[Due]:
    pages = [(chapter.chapter, None) for chapter in manual.chapters] + [
        (page.chapter, page.board) for pages in manual.region.pages.values() for page in pages
    ]
    found = [
        Due(chapter.owner or "(no owner)", chapter.title, chapter.path, chapter.next_review,
            (chapter.next_review - today).days, board)
        for chapter, board in pages
        if chapter.next_review is not None and (chapter.next_review - today).days <= within
    ]
    return sorted(found, key=lambda due: (due.owner.lower(), due.next_review, due.path))


HEADERS = ("Owner", "Chapter", "Board", "Next review", "State", "File")


def rows(due: list[Due]) -> list[tuple[str, ...]]:
    return [(d.owner, d.title, d.board or "", d.next_review.strftime("%d-%m-%Y"), d.state, d.path) for d in due]


def as_csv(due: list[Due]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(due))
    return out.getvalue()


def as_table(due: list[Due]) -> str:
    if not due:
        return "No reviews overdue or due in this period.\n"
    table = [HEADERS, *rows(due)]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"
