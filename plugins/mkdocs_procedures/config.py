"""The plugin's settings under `plugins: - procedures:` in `mkdocs.yml`."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from .core.schedule import NextUpdate, ScheduleError
from .core.stamp import DEFAULT_DATE_FORMAT, DEFAULT_FALLBACK_TEMPLATE, DEFAULT_TEMPLATE


class StampConfig(base.Config):
    """The "correct as printed on" footer on every page."""

    template = c.Type(str, default=DEFAULT_TEMPLATE)
    """Jinja template of the printed wording: `printed_on` (the reader's clock when printing),
    `url` (this page's address on `site_url`) and `board` (the board's name on a board's site)."""

    fallback_template = c.Type(str, default=DEFAULT_FALLBACK_TEMPLATE)
    """Wording when the browser runs no scripts: `built_on` (when the site was built), `url`, `board`."""

    date_format = c.Type(str, default=DEFAULT_DATE_FORMAT)
    """Date pattern for `printed_on` and `built_on`; the codes are listed in the README."""

    show_on_screen = c.Type(bool, default=False)
    """Also show the stamp on screen; by default it appears only on paper."""


class HistoryConfig(base.Config):
    """Where the amendments log comes from: the published branch's git history."""

    enabled = c.Type(bool, default=True)
    """Read git history; when false, the log holds only the records in `amendments_dir`."""

    ref = c.Type(str, default="HEAD")
    """The published branch (or any commit) whose first-parent history is the log."""

    allow_shallow = c.Type(bool, default=False)
    """Build from a shallow clone anyway; the pages then say that the history is incomplete."""


class AccessibilityConfig(base.Config):
    """Each site's accessibility statement, in the sections of the UK public sector model statement."""

    organisation = c.Optional(c.Type(str))
    """Who runs the manual (the statement is published when this and `email` are set)."""
    email = c.Optional(c.Type(str))
    """Where readers report an accessibility problem with the shared chapters."""
    phone = c.Optional(c.Type(str))
    compliance = c.Choice(("full", "partial", "none"), default="partial")
    """Against WCAG 2.2 AA: `full`, `partial` (with the problems listed in `non_accessible`) or `none`."""
    non_accessible = c.ListOfItems(c.Type(str), default=[])
    """What is known not to be accessible, one sentence each."""
    response_days = c.Type(int, default=5)
    """Working days in which a report gets an answer."""
    prepared = c.Optional(c.Type(dt.date))
    """The day the statement was prepared (YYYY-MM-DD)."""
    reviewed = c.Optional(c.Type(dt.date))
    """The day it was last reviewed."""


class PlannedUpdate(BaseConfigOption[NextUpdate]):
    """A month (`2027-01`) or a day (`2027-01-15`)."""

    def run_validation(self, value: object) -> NextUpdate:
        try:
            return NextUpdate.parse(value)
        except ScheduleError as error:
            raise ValidationError(str(error)) from error


class ProceduresConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Set to false to build a plain Material site (used as the benchmark's reference)."""

    contents_page = c.Type(str, default="contents.md")
    """The page, relative to `docs_dir`, below which the list of parts and chapters is written."""

    contacts_page = c.Type(str, default="local-contacts.md")
    """A board's own page, relative to its `pages/` folder, that holds its key contacts: the regional home
    page links every board's, and every page of a board's site links its own."""

    time_zone = c.Type(str, default="Europe/London")
    """IANA time zone for dates the build writes (build time, amendment dates)."""

    stamp = c.SubConfig(StampConfig)

    next_update: c.Optional[NextUpdate] = c.Optional(PlannedUpdate())
    """The next planned update of the manual, shown on every site's home and Amendments pages: a month
    (`2027-01`) or a day (`2027-01-15`). Once it has passed the build warns and shows nothing."""

    accessibility = c.SubConfig(AccessibilityConfig)
    """Each site's accessibility statement (`accessibility/`, linked from every page's footer)."""

    recent_days = c.Type(int, default=30)
    """Each site's contents marks a chapter "New" or "Updated" for this many days after it was added or
    amended on that site; 0 marks nothing."""

    pdf = c.Type(bool, default=False)
    """Link each site's contents page to its PDF of the whole manual, which `procedures pdf` makes from
    the built site (`make pdf`; `make site` runs it)."""

    boards_dir = c.Optional(c.Dir(exists=True))
    """Folder of the boards (`boards/<id>/board.yml`, `overlays/`, `pages/`); none: a regional site only."""

    regional_values = c.DictOfItems(c.Type(str), default={})
    """Text the regional site shows for a board value (`contacts.front_door.phone: ...`), and that a
    board without its own value inherits."""

    history = c.SubConfig(HistoryConfig)

    amendments_dir = c.Optional(c.Dir(exists=True))
    """Folder of amendment records that predate git (`*.yml`: chapter, details, date, board)."""

    procedures_group = c.Type(str, default="@procedures-group")
    """Who owns the regional chapters and records in CODEOWNERS (`procedures owners`): a user or @org/team."""

    helper_process = c.Type(bool, default=True)
    """Make the boards' copies of pages and the what-changed views in a second process while MkDocs
    renders pages (`mkdocs build` on Linux with two or more cores); false: in MkDocs' process."""

    shared_navigation = c.Type(bool, default=True)
    """Render the theme's navigation once for each group of pages that show it alike and reuse it (the same
    HTML, much sooner on a large manual); false: the theme renders it on every page."""

    keep_renders = c.Type(bool, default=True)
    """Keep what each page's Markdown was rendered to (its HTML, its board blocks', its search entries) in
    `.cache/`, and give it to the next build when nothing that render read has changed (see
    `machinery/kept_renders.py`); false: every build renders every page."""

    board_selector_label = c.Type(str, default="Please select a board to see additional information:")
    """The board selector's label, shown at the top and bottom of every regional chapter."""
