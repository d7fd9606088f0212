"""When the manual will next be updated, and which chapters are new or recently amended.

Readers of a procedures manual plan around its updates: the next planned update is published (a month,
or a day), and each site's contents marks the chapters added or amended lately for that site.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ScheduleError(ValueError):
    """A next planned update that cannot be read."""


@dataclass(frozen=True)
class NextUpdate:
    """The next planned update: a whole month (`2027-01`) or a day (`2027-01-15`)."""

    first_day: dt.date
    whole_month: bool

    @classmethod
    def parse(cls, value: object) -> NextUpdate:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # YAML reads 2027-01-15 as a date
            return cls(value, whole_month=False)
        text = str(value).strip()
        month = _MONTH.match(text)
        try:
            if month:
                return cls(dt.date(int(month.group(1)), int(month.group(2)), 1), whole_month=True)
            return cls(dt.date.fromisoformat(text), whole_month=False)
        except ValueError:
            pass
        raise ScheduleError(f"expected a month like `2027-01` or a day like `2027-01-15`, found `{text}`")

    @property
    def last_day(self) -> dt.date:
        if not self.whole_month:
            return self.first_day
        following = (self.first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)

    def text(self) -> str:
        """As readers read it: `January 2027`, or `15 January 2027`."""
        if self.whole_month:
            return self.first_day.strftime("%B %Y")
        return f"{self.first_day.day} {self.first_day.strftime('%B %Y')}"

    def has_passed(self, today: dt.date) -> bool:
        return self.last_day < today


class RecentMark(StrEnum):
    """How the contents marks a chapter lately added or amended on a site."""

    NEW = "New"
    UPDATED = "Updated"


def recent_mark(amended_on: Sequence[dt.date], added: dt.date | None, today: dt.date,
                within_days: int) -> tuple[RecentMark, dt.date] | None:
    """A chapter's mark on a site, with the day it refers to: `New` when the chapter was added within
    `within_days` of `today`, `Updated` when it was last amended within them; None otherwise (or when
    `within_days` is 0). `amended_on` are the days of the site's amendments of the chapter (editorial
    commits are not amendments, so they mark nothing); `added` the day its first version was published,
    when the history shows it."""
    if within_days <= 0 or not amended_on:
        return None
    since = today - dt.timedelta(days=within_days)
    if added is not None and since < added <= today:
        return RecentMark.NEW, added
    newest = max((day for day in amended_on if day <= today), default=None)  # a later date is not news yet
    if newest is not None and since < newest:
        return RecentMark.UPDATED, newest
    return None
