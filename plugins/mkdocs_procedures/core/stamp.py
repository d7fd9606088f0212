"""The print stamp: "This page is correct as printed on ..." at the foot of every page.

The reader's browser fills in the moment of printing; the build time is the fallback when scripts do
not run. Both sides format dates with the same small pattern language, so the configured format means
the same on paper as in the fallback:

    %A weekday   %a short weekday   %d day (01)   %-d day (1)   %o ordinal suffix of the day (st, nd)
    %B month     %b short month     %m month (01) %Y year       %H hour (00-23)   %I hour (01-12)
    %-I hour (1-12)   %M minute   %S second   %p AM/PM   %Z time zone name   %% a per cent sign

The browser's copy of this formatter lives in `assets/procedures.js`; tests print in Chromium and
compare the two.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
import jinja2.meta

from .problems import did_you_mean

DEFAULT_DATE_FORMAT = "%A %-d%o of %B %Y %I:%M:%S %p"
DEFAULT_TEMPLATE = (
    "This page is correct as printed on {{ printed_on }} "
    "please refer back to this website ({{ url }}) for updates."
)
DEFAULT_FALLBACK_TEMPLATE = (
    "This page was correct when this website was last published on {{ built_on }}; "
    "please refer back to this website ({{ url }}) for updates."
)

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_TOKEN = re.compile(r"%(-?[A-Za-z%])")
KNOWN_TOKENS = frozenset(
    {"A", "a", "d", "-d", "o", "B", "b", "m", "Y", "H", "I", "-I", "M", "S", "p", "Z", "%"}
)


class StampFormatError(ValueError):
    """A date format or stamp template that cannot be used."""


def ordinal_suffix(day: int) -> str:
    """`st`, `nd`, `rd` or `th`: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st."""
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def check_date_format(pattern: str) -> None:
    unknown = sorted({token for token in _TOKEN.findall(pattern) if token not in KNOWN_TOKENS})
    if unknown:
        raise StampFormatError(
            f"unknown date format code(s) {', '.join('%' + token for token in unknown)}; "
            f"expected codes from: {' '.join('%' + token for token in sorted(KNOWN_TOKENS))}"
        )


def format_moment(moment: dt.datetime, pattern: str = DEFAULT_DATE_FORMAT) -> str:
    """Format `moment` with the stamp's pattern language (independent of the machine's locale)."""
    check_date_format(pattern)
    hour12 = moment.hour % 12 or 12
    values = {
        "A": _WEEKDAYS[moment.weekday()],
        "a": _WEEKDAYS[moment.weekday()][:3],
        "d": f"{moment.day:02d}",
        "-d": str(moment.day),
        "o": ordinal_suffix(moment.day),
        "B": _MONTHS[moment.month - 1],
        "b": _MONTHS[moment.month - 1][:3],
        "m": f"{moment.month:02d}",
        "Y": str(moment.year),
        "H": f"{moment.hour:02d}",
        "I": f"{hour12:02d}",
        "-I": str(hour12),
        "M": f"{moment.minute:02d}",
        "S": f"{moment.second:02d}",
        "p": "AM" if moment.hour < 12 else "PM",
        "Z": moment.tzname() or "",
        "%": "%",
    }
    return _TOKEN.sub(lambda match: values[match.group(1)], pattern)


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise StampFormatError(
            f"unknown time zone `{name}`; expected an IANA name such as `Europe/London`"
        ) from error


def build_moment(zone: ZoneInfo, now: dt.datetime | None = None) -> dt.datetime:
    """When this build happened, in `zone`: `SOURCE_DATE_EPOCH` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if now is None:
        now = (
            dt.datetime.fromtimestamp(int(epoch), dt.UTC)
            if epoch
            else dt.datetime.now(dt.UTC)
        )
    return now.astimezone(zone)


@dataclass(frozen=True)
class StampWording:
    """The configured wording: two Jinja templates and a date pattern, checked once."""

    template: str = DEFAULT_TEMPLATE
    fallback_template: str = DEFAULT_FALLBACK_TEMPLATE
    date_format: str = DEFAULT_DATE_FORMAT

    def check(self) -> None:
        check_date_format(self.date_format)
        environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        for name, source, known in (("template", self.template, ("printed_on", "url", "board")),
                                    ("fallback_template", self.fallback_template, ("built_on", "url", "board"))):
            try:
                parsed = environment.parse(source)
            except jinja2.TemplateSyntaxError as error:
                raise StampFormatError(f"stamp `{name}` is not a valid Jinja template: {error}") from error
            for unknown in sorted(jinja2.meta.find_undeclared_variables(parsed) - set(known)):
                raise StampFormatError(f"stamp `{name}` uses `{{{{ {unknown} }}}}`, which the stamp does not have; "
                                       f"expected {', '.join(f'`{{{{ {k} }}}}`' for k in known)}; "
                                       f"{did_you_mean(unknown, known)}")


@dataclass(frozen=True)
class PrintStamp:
    """What one page's stamp says: its own address and when the site was built."""

    url: str
    built_at: dt.datetime
    board_name: str | None = None
