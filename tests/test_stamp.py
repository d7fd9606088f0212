"""The print stamp's date formatting, wording checks and build time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mkdocs_procedures.core.stamp import (
    StampFormatError,
    StampWording,
    build_moment,
    format_moment,
    ordinal_suffix,
    time_zone,
)

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("day", "suffix"),
    [(1, "st"), (2, "nd"), (3, "rd"), (4, "th"), (11, "th"), (12, "th"), (13, "th"), (21, "st"),
     (22, "nd"), (23, "rd"), (24, "th"), (30, "th"), (31, "st")],
)
def test_ordinal_suffix(day: int, suffix: str) -> None:
    assert ordinal_suffix(day) == suffix


@pytest.mark.parametrize(
    ("moment", "pattern", "expected"),
    [
        (dt.datetime(2026, 11, 23, 10, 15, 2, tzinfo=LONDON), "%A %-d%o of %B %Y %I:%M:%S %p",
         "Monday 23rd of November 2026 10:15:02 AM"),
        (dt.datetime(2019, 10, 20, 9, 47, 44, tzinfo=LONDON), "%A %-d%o of %B %Y %I:%M:%S %p",
         "Sunday 20th of October 2019 09:47:44 AM"),
        (dt.datetime(2026, 1, 1, 0, 5, 0, tzinfo=LONDON), "%a %d/%m/%Y %-I:%M %p %Z",
         "Thu 01/01/2026 12:05 AM GMT"),
        (dt.datetime(2026, 7, 2, 13, 0, 0, tzinfo=LONDON), "%d-%m-%Y %H:%M (%b, %Z) 100%%",
         "02-07-2026 13:00 (Jul, BST) 100%"),
    ],
)
def test_format_moment(moment: dt.datetime, pattern: str, expected: str) -> None:
    assert format_moment(moment, pattern) == expected


def test_unknown_format_codes_are_refused_with_the_codes_listed() -> None:
    with pytest.raises(StampFormatError, match=r"unknown date format code\(s\) %q; expected codes from:"):
        format_moment(dt.datetime(2026, 1, 1, tzinfo=LONDON), "%q")


def test_wording_with_a_broken_template_is_refused() -> None:
    with pytest.raises(StampFormatError, match="stamp `template` is not a valid Jinja template"):
        StampWording(template="Printed {{ printed_on").check()


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(StampFormatError, match="unknown time zone `Mars/Olympus`"):
        time_zone("Mars/Olympus")


def test_build_moment_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    moment = build_moment(LONDON)
    assert moment == dt.datetime(2026, 9, 21, 14, 13, 20, tzinfo=dt.UTC)
    assert moment.utcoffset() == dt.timedelta(hours=1)


def test_build_moment_is_now_and_time_zone_aware(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC)
    moment = build_moment(LONDON)
    assert moment.tzinfo is LONDON
    assert before <= moment <= dt.datetime.now(dt.UTC)
