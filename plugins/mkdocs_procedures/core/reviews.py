"""When each chapter is next reviewed, as data: `review.json` on every site, for reminder tools that nag
the owners of chapters whose review is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .chapters import Chapter


@dataclass(frozen=True)
class PublishedChapter:
    chapter: Chapter
    address: str
    """Its address on the site (absolute)."""
    board: str | None = None
    """The board whose own page it is; None for a shared chapter."""


def review_state(next_review: dt.date | None, today: dt.date) -> str:
    """`overdue`, `due` (within 30 days), `current`, or `no-date` when no next review is set."""
    if next_review is None:
        return "no-date"
    days = (next_review - today).days
    return "overdue" if days < 0 else "due" if days <= 30 else "current"


def review_records(published: Iterable[PublishedChapter], today: dt.date) -> list[dict[str, Any]]:
    """One record per chapter, soonest review first (those with no date last)."""
    records = [{
        "id": item.chapter.id, "title": item.chapter.title, "owner": item.chapter.owner,
        "board": item.board, "status": item.chapter.status.value,
        "last_reviewed": item.chapter.last_reviewed.isoformat() if item.chapter.last_reviewed else None,
        "next_review": item.chapter.next_review.isoformat() if item.chapter.next_review else None,
        "review": review_state(item.chapter.next_review, today), "address": item.address,
        "source": item.chapter.path,
    } for item in published]
    return sorted(records, key=lambda record: (record["next_review"] is None, record["next_review"] or "",
                                               record["address"]))
