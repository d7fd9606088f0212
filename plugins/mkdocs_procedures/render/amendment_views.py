"""The amendments as readers see them: the log page, each chapter's list, what-changed views, feeds, JSON.

Addresses are given by the caller as site-relative URLs (`responding/making-a-referral/`), so this
module needs nothing from the site generator.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from ..core.amendments import Amendment, Catalogue, as_listed, collect, for_chapter, for_site, uk_date
from ..core.boards import Board
from ..core.cache_files import KeptTexts, keep_json, read_kept_json
from ..core.changes import Block, BlockChange, ChapterChange, FieldChange, SectionChange, Segment
from ..core.editions import Edition
from ..core.history import History
from ..core.problems import Problem
from ..core.region import Region
from ..core.schedule import RecentMark, recent_mark
from ..core.site_layout import CHANGES_FOLDER, FEED, JSON, chapter_feed, whole_manual_pdf
from .markup import TEMPLATES_VERSION, PageMarkup
from .readers_copy import ReadersCopy

COMPARISON_FORMAT = "readers-blocks-3"
"""Changes with the comparisons' format, what they read or the code showing them: what is cached is then not used."""
VIEW_BODIES = "views.jsonl"
"""The file of what-changed views' bodies in the comparisons' folder."""
LOG_ENTRIES_FORMAT = "log-entries-2"
"""The kept log entries' salt: each is kept by a digest of all it shows, so only how they are kept names it."""
FOLDED_AFTER = 6
"""An amendment that touched more pages than this lists them folded, so one commit cannot fill the log."""
READING_HISTORY = 12
"""How many of a chapter's newest amendments its page carries for "amended since you last read it" (the
banner shows five and says how many more; a reader further behind is told by date)."""
FEED_ENTRIES = 100
CHAPTER_FEED_ENTRIES = 20
"""A chapter's feed carries its newest amendments only: every site has one per chapter."""
"""A feed tells subscribers what is new: it carries the newest amendments; the log and JSON carry all."""

# What-changed comparisons by blob ids: a blob never changes, so neither does its comparison. Kept for
# the life of the process, so `mkdocs serve` compares each pair once, and on disk between builds.
_COMPARISONS: dict[tuple[str, ...], ChapterChange] = {}


@dataclass(frozen=True)
class Row:
    title: str
    href: str | None
    details: str
    date: str
    iso: str
    board: str | None
    board_name: str | None
    withdrawn: bool
    changes_href: str | None
    chapter: str | None = None
    home: bool = False
    """Whether it is the site's home page: a way in, with no amendments of its own listed on it."""


@dataclass(frozen=True)
class LogEntry:
    """One amendment in the log, with every chapter copy it touched (one row each), and what the filters
    read, worked out once (the log of a long history has thousands of entries)."""

    rows: list[Row]
    first: Row
    boards: str
    """The boards it touched, space-separated, for the filter: empty when it is shared only."""
    shared: bool
    chapters: str

    @classmethod
    def of(cls, rows: list[Row]) -> LogEntry:
        return cls(rows, rows[0], " ".join(dict.fromkeys(row.board for row in rows if row.board)),
                   any(row.board is None for row in rows),
                   " ".join(dict.fromkeys(row.chapter for row in rows if row.chapter)))


def _chapters_listed(entries: Sequence[Sequence[Row]], board: str | None) -> list[tuple[str, str, str | None]]:
    """The chapters a log lists, by title, for its chapter filter: (id, title, the chapter's page on this
    site, or None for pages that are boards' own on the regional site)."""
    found: dict[str, tuple[str, str | None]] = {}
    for row in (row for rows in entries for row in rows):
        if row.chapter is None:
            continue
        href = row.href if (board is not None or row.board is None) and not row.home else None
        if row.chapter not in found or (found[row.chapter][1] is None and href):
            found[row.chapter] = (row.title, href)
    return sorted(((chapter, title, href) for chapter, (title, href) in found.items()),
                  key=lambda listed: (listed[1].casefold(), listed[0]))


def runs(changes: Sequence[BlockChange]) -> list[tuple[str, list[BlockChange]]]:
    """Changed blocks as the page groups them: table rows next to each other in one table, list items of
    one list in one list; a note on a change ends its run, so that it stands after what it is about."""
    grouped: list[tuple[str, list[BlockChange]]] = []
    previous: tuple[object, ...] = ()
    for change in changes:
        block = change.block
        key: tuple[object, ...] = (block.kind, block.ordered, block.depth) if block.kind in ("row", "item") else ()
        if key and key == previous and not grouped[-1][1][-1].notes:
            grouped[-1][1].append(change)
        else:
            grouped.append((block.kind, [change]))
        previous = key
    return grouped


@functools.lru_cache(maxsize=2048)
def relative_url(target: str, from_page: str) -> str:
    """A link from the page at the site-relative URL `from_page` to the site path `target`: up to the
    folder they share, then down (simple string arithmetic; these run for every row of every log). A
    board's pages link within the board's folder alike on every board's site, so what they show of a
    shared amendment is the same text on each.

    The links asked for again are asked for soon after (a page's rows, then its copy's): 2,048 remembered
    find as many again as 65,536 did (at 300 chapters and 5,000 commits, 65,234 of 182,225 calls against
    66,062), which were a full 65,536 links, kept to the end of the build in each process."""
    if from_page in ("", "./"):
        return target or "./"
    while True:
        folder, slash, rest = from_page.partition("/")
        if not slash or not target.startswith(folder + "/"):
            break
        from_page, target = rest, target[len(folder) + 1:]
    link = "../" * from_page.count("/") + target
    return link or "./"


def changes_url(amendment: Amendment) -> str:
    """Where an amendment's what-changed view is published: a board's own change in that board's site.

    A file of its own (`changes/<key>.html`) rather than a folder with an index page: there are
    thousands, and a folder each doubles what a build makes and cleans away."""
    site_root = f"{amendment.board}/" if amendment.board else ""
    return f"{site_root}{CHANGES_FOLDER}/{amendment.key}.html"


class ComparisonCache:
    """Comparisons on disk, kept between builds: one JSON file per amended file, holding each of its
    comparisons by a hash of the pair of blob ids and what else they read (a long history makes
    thousands: a file each was most of what a build with nothing kept spent on keeping them); and each
    what-changed view's body as rendered, all in one file (thousands of views are read in one go)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = f"{COMPARISON_FORMAT}|{salt}"
        self.bodies = KeptTexts(folder / VIEW_BODIES, self.salt)
        """The views' bodies, read one at a time as they are asked for."""
        self.files: dict[str, dict[str, Any]] = {}
        """Each amended file's kept comparisons, read when a comparison of it is first asked for."""
        self.made: dict[str, dict[str, ChapterChange]] = {}
        """The comparisons this build made, by amended file: kept by `save_comparisons`."""

    def body(self, key: str) -> str | None:
        """A view's body rendered by an earlier build from the same comparison, row and templates."""
        return self.bodies.get(key)

    def keep_body(self, key: str, body: str) -> None:
        self.bodies.keep(key, body)

    def save_comparisons(self) -> None:
        """Keep the comparisons this build made, beside those kept before for the same files."""
        for path, made in self.made.items():
            kept = self.files.get(path)
            kept = read_kept_json(self._file(path)) if kept is None else kept
            kept.update((name, dataclasses.asdict(change)) for name, change in made.items())
            with contextlib.suppress(OSError):  # the next build compares them again
                keep_json(self._file(path), kept)
        self.made = {}

    def save_bodies(self) -> None:
        """Keep this build's bodies, and only those, when they are not what the file holds."""
        with contextlib.suppress(OSError):  # the next build renders them again
            self.bodies.save()

    def _file(self, path: str) -> Path:
        name = hashlib.sha1(path.encode()).hexdigest()
        return self.folder / "by-file" / name[:2] / f"{name}.json"

    def get(self, path: str, key: tuple[str, ...]) -> ChapterChange | None:
        """The comparison kept for the amended file `path` by `key`, if any."""
        if path not in self.files:
            self.files[path] = read_kept_json(self._file(path))
        data = self.files[path].get(_named(key))
        try:
            return _change_from(data) if data is not None else None
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, path: str, key: tuple[str, ...], change: ChapterChange) -> None:
        self.made.setdefault(path, {})[_named(key)] = change


def _named(key: tuple[str, ...]) -> str:
    return hashlib.sha1("|".join(key).encode()).hexdigest()


def _change_from(data: dict[str, Any]) -> ChapterChange:
    def block(raw: dict[str, Any]) -> Block:
        fields: dict[str, Any] = {name: tuple(tuple(v) if isinstance(v, list) else v for v in value)
                                  if isinstance(value, list) else value for name, value in raw.items()}
        return Block(**fields)

    def segments(raw: list[dict[str, Any]]) -> tuple[Segment, ...]:
        return tuple(Segment(**item) for item in raw)

    return ChapterChange(
        tuple(FieldChange(**field) for field in data["fields"]),
        tuple(SectionChange(section["title"], section["kind"], tuple(
            BlockChange(block(change["block"]), change["change"], segments(change["words"]),
                        tuple(segments(cell) for cell in change["cells"]), segments(change["lines"]),
                        tuple(change["notes"]))
            for change in section["blocks"])) for section in data["sections"]),
        data["unseen"],
    )


class AmendmentViews:
    def __init__(
        self,
        amendments: Sequence[Amendment],
        boards: Mapping[str, Board],
        markup: PageMarkup,
        chapter_url: Callable[[str, str | None], str | None],
        read_blob: Callable[[str | None], str],
        incomplete: bool = False,
        readers: ReadersCopy | None = None,
        cache: ComparisonCache | None = None,
    ) -> None:
        """`amendments` newest first; `chapter_url(chapter id, board)` gives a chapter's site URL."""
        self.amendments = list(amendments)
        self.boards = boards
        self.markup = markup
        self.chapter_url = chapter_url
        self.read_blob = read_blob
        self.incomplete = incomplete
        self.readers = readers
        self.cache = cache
        self.by_key = {a.key: a for a in self.amendments if a.change is not None}
        self.rows: dict[tuple[int, str | None, str | None, bool], Row] = {}
        self.log_entries: dict[tuple[int, ...], str] = {}
        self.own_amendments: dict[tuple[str, str | None], list[Amendment]] = {}
        self.kept_log_entries: KeptTexts | None = None
        """Log entries as an earlier build rendered them, by a digest of what each shows (`keep_log_entries`)."""
        self.last_amended_on: dict[dt.date, str] = {}
        self.reading_histories: dict[tuple[tuple[int, ...], tuple[str, ...]], str] = {}
        """Each chapter's reading history as quoted, by the amendments in it and their links (`since_last_read`)."""
        self.by_chapter: dict[str | None, list[Amendment]] = {}
        for amendment in self.amendments:
            self.by_chapter.setdefault(amendment.chapter, []).append(amendment)

    def own(self, chapter: str, board: str | None) -> list[Amendment]:
        """A chapter's own amendments on a site (`for_chapter`), worked out once: every page of it, and
        every board's copy, asks for them several times. Not to be changed."""
        key = (chapter, board)
        if key not in self.own_amendments:
            self.own_amendments[key] = for_chapter(self.by_chapter.get(chapter, []), chapter, board)
        return self.own_amendments[key]

    def with_changes(self) -> list[Amendment]:
        return list(self.by_key.values())

    def row(self, amendment: Amendment, board: str | None, page_url: str) -> Row:
        """An amendment's row on a page of a site."""
        return self._row(amendment, board, page_url)[1]

    def log_row(self, amendment: Amendment, board: str | None, page_url: str) -> Row:
        """An amendment's row on a site's log: one object wherever it is the same (a shared amendment on
        every board's log, which sit at the same depth), so that its entry is rendered once. Only the logs
        keep their rows: on any other page a row is that page's own (its links start from it)."""
        key, row = self._row(amendment, board, page_url)
        return self.rows.setdefault(key, row)

    def _row(self, amendment: Amendment, board: str | None, page_url: str,
             ) -> tuple[tuple[int, str | None, str | None, bool], Row]:
        target = None
        site = board if amendment.board is None else amendment.board
        if amendment.chapter is not None and not amendment.withdrawn:
            target = self.chapter_url(amendment.chapter, site)
        changes = changes_url(amendment) if amendment.key in self.by_key else None
        href = relative_url(target, page_url) if target is not None else None
        changes_href = relative_url(changes, page_url) if changes else None
        home = target == (f"{site}/" if site else "")
        key = (id(amendment), href, changes_href, home)
        if key in self.rows:
            return key, self.rows[key]
        owner = self.boards.get(amendment.board) if amendment.board else None
        return key, Row(
            title=amendment.title,
            href=href,
            details=amendment.details,
            date=uk_date(amendment.date),
            iso=amendment.date.isoformat(),
            board=amendment.board,
            board_name=owner.name if owner else amendment.board,
            withdrawn=amendment.withdrawn,
            changes_href=changes_href,
            chapter=amendment.chapter if not amendment.withdrawn else None,
            home=home,
        )

    def log_page(self, board: str | None, page_url: str, next_update: str = "") -> str:
        """The Amendments page of the regional site (board None) or of one board's site."""
        entries = [tuple(self.log_row(a, board, page_url) for a in entry)
                   for entry in as_listed(for_site(self.amendments, board))]
        site_root = f"{board}/" if board else ""
        if board is not None:
            caption = f"Amendments: shared, and {self.boards[board].name}'s local ones"
        else:  # the regional log; a manual with no boards has nothing local
            caption = "Amendments: shared, and each board's local ones" if self.boards else "Amendments"
        return self.markup.render(
            "amendments.html", entries_html=Markup("".join(map(self._log_entry, entries))), caption=caption,
            incomplete=self.incomplete, next_update=Markup(next_update), chapters=_chapters_listed(entries, board),
            boards=list(self.boards.values()) if board is None else [],
            boards_links=[(each, relative_url(f"{each.id}/amendments/", page_url)) for each in self.boards.values()],
            feed_href=relative_url(site_root + FEED, page_url),
            json_href=relative_url(JSON, page_url) if board is None else None,
        )

    def _log_entry(self, rows: tuple[Row, ...]) -> str:
        """One entry of a log, rendered once for all the logs it is the same in: a shared amendment's rows
        are the same on every board's site, whose logs sit at the same depth."""
        key = tuple(map(id, rows))  # rows are one object each wherever they are the same (`log_row`)
        if key not in self.log_entries:
            # What the entry shows is all in its rows: an entry an earlier build rendered alike is kept.
            digest = hashlib.sha1(repr((rows, FOLDED_AFTER, TEMPLATES_VERSION)).encode("utf-8")).hexdigest()
            html = self.kept_log_entries.get(digest) if self.kept_log_entries is not None else None
            if html is None:
                html = self.markup.render("log_entry.html", entry=LogEntry.of(list(rows)),
                                          folded_after=FOLDED_AFTER).rstrip("\n")
                if self.kept_log_entries is not None:
                    self.kept_log_entries.keep(digest, html)
            self.log_entries[key] = html
        return self.log_entries[key]

    def keep_log_entries(self, kept: Path) -> None:
        """Give the logs about to be rendered the entries kept in the file `kept` (`KeptTexts`), and keep
        theirs there when they are saved (`save_log_entries`)."""
        self.kept_log_entries = KeptTexts(kept, LOG_ENTRIES_FORMAT)

    def save_log_entries(self) -> None:
        """Keep the entries the logs showed, for the next build (unless they were those kept)."""
        if self.kept_log_entries is not None:
            with contextlib.suppress(OSError):  # the next build renders them again
                self.kept_log_entries.save()

    def let_go_of_history(self) -> None:
        """Let go of what only the comparisons read (the history, through `read_blob` and the readers), in a
        process that makes no what-changed view: the pages need only the amendments."""
        self.readers = None
        self.read_blob = _nothing_read

    def forget_logs(self) -> None:
        """Let go of what only the logs use (their rows and entries, tens of MiB in a long history) once
        they are made and their entries kept: a what-changed view makes its own row."""
        self.rows.clear()
        self.log_entries.clear()
        self.kept_log_entries = None

    def last_amended(self, chapter: str, board: str | None) -> str:
        own = self.own(chapter, board)
        if not own:
            return ""
        newest = max(amendment.date for amendment in own)
        if newest not in self.last_amended_on:  # the same words for every page last amended that day
            self.last_amended_on[newest] = self.markup.render(
                "last_amended.html", date=uk_date(newest), iso=newest.isoformat(), incomplete=self.incomplete).strip()
        return self.last_amended_on[newest]

    def chapter_section(self, chapter: str, board: str | None, page_url: str, combined: bool) -> str:
        """A chapter's own amendments; on the regional site, boards' rows show only for the chosen board."""
        mine = [a for a in self.by_chapter.get(chapter, [])
                if not a.withdrawn and (a.board is None or combined or a.board == board)]
        if not mine:
            return ""
        site_root = f"{board}/" if board else ""
        return self.markup.render(
            "chapter_amendments.html", rows=[self.row(a, board, page_url) for a in mine],
            hide_board_rows=combined, incomplete=self.incomplete,
            log_href=relative_url(site_root + "amendments/", page_url),
        )

    def _comparison_key(self, amendment: Amendment) -> tuple[str, str, str, str]:
        change = amendment.change
        assert change is not None  # by_key holds only amendments with a change
        context = self.readers.context(amendment) if self.readers else ""
        return self.cache.salt if self.cache else "", change.old_blob or "", change.new_blob or "", context

    def comparison(self, amendment: Amendment) -> ChapterChange:
        key = self._comparison_key(amendment)
        if key not in _COMPARISONS:
            change = amendment.change
            assert change is not None  # by_key holds only amendments with a change
            found = self.cache.get(change.path, key) if self.cache else None
            if found is None:
                before, after = self.read_blob(change.old_blob), self.read_blob(change.new_blob)
                found = (self.readers.compare(amendment, before, after) if self.readers
                         else ChapterChange(unseen=before != after))
                if self.cache:
                    self.cache.put(change.path, key, found)
            _COMPARISONS[key] = found
        return _COMPARISONS[key]

    def change_page(self, key: str, site_name: str, language: str, stamp: Callable[[str], str],
                    head: Callable[[str], str] = lambda url: "") -> str:
        """The what-changed view of one amendment: a whole, light HTML page; `stamp(url)` prints it, and
        `head(url)` is what its head carries for its site (the feed's link, the printed sheets' margins)."""
        amendment = self.by_key[key]
        page_url = changes_url(amendment)
        row = self.row(amendment, amendment.board, page_url)
        log = (f"{amendment.board}/" if amendment.board else "") + "amendments/"
        log_href = relative_url(log, page_url)
        # The body shows the comparison and the row: the same ones, with the same templates, give the same body.
        inputs = (self._comparison_key(amendment), row, log_href, amendment.chapter is None, TEMPLATES_VERSION)
        body_key = hashlib.sha1(repr(inputs).encode()).hexdigest()
        body = self.cache.body(body_key) if self.cache else None
        if body is None:
            body = self.markup.render("changes.html", row=row, change=self.comparison(amendment), log_href=log_href,
                                      details=amendment.chapter is None, runs=runs)
            if self.cache:
                self.cache.keep_body(body_key, body)
        root = relative_url("", page_url)
        return self.markup.render_filled(
            "change_page.html", {"site_name": site_name, "language": language},
            title=f"What changed: {amendment.title} ({row.date})", body=Markup(body), root=root.rstrip("/") + "/",
            home=relative_url(f"{amendment.board}/" if amendment.board else "", page_url),
            stamp=Markup(stamp(page_url)), sheet=Markup(head(page_url)),
        )

    def feed(self, board: str | None, site_url: str, site_name: str, chapter: str | None = None) -> str:
        """A site's Atom feed of its newest amendments; with `chapter`, of that chapter's only (on a board's
        site its copy's too)."""
        return self.render_feed(self.feed_content(board, site_url, site_name, chapter))

    def render_feed(self, content: dict[str, Any]) -> str:
        return self.markup.render("feed.xml", **content)

    def feed_content(self, board: str | None, site_url: str, site_name: str,
                     chapter: str | None = None) -> dict[str, Any]:
        """All a feed says (`render_feed` writes it): the same content, the same feed."""
        site_url = site_url.rstrip("/") + "/"
        site_root = f"{board}/" if board else ""
        listed = (for_site(self.amendments, board) if chapter is None
                  else self.own(chapter, board))
        entries = []
        seen: dict[str, int] = {}
        for amendment in listed[:FEED_ENTRIES if chapter is None else CHAPTER_FEED_ENTRIES]:
            # Two records saying the very same thing are two entries still, numbered in the records' order.
            seen[amendment.entry_key] = seen.get(amendment.entry_key, 0) + 1
            repeat = f"-{seen[amendment.entry_key]}" if seen[amendment.entry_key] > 1 else ""
            target = None
            if amendment.key in self.by_key:
                target = changes_url(amendment)
            elif amendment.chapter is not None and not amendment.withdrawn:
                target = self.chapter_url(amendment.chapter, amendment.board or board)
            moment = amendment.landed_at or dt.datetime.combine(amendment.date, dt.time(), dt.UTC)
            owner = self.boards.get(amendment.board) if amendment.board else None
            entries.append({
                "title": amendment.title, "details": amendment.details, "summary": amendment.details,
                "url": site_url + (target if target is not None else site_root + "amendments/"),
                "id": f"{site_url}{site_root}amendments/#{amendment.entry_key}{repeat}",
                "updated": moment.isoformat(), "board": amendment.board,
                "board_name": owner.name if owner else None,
            })
        updated = max((str(entry["updated"]) for entry in entries), default="1970-01-01T00:00:00+00:00")
        title = site_name if board is None else f"{site_name}: {self.boards[board].name}"
        feed_path, log_url = FEED, f"{site_url}{site_root}amendments/"
        if chapter is not None:
            title += f": {listed[0].title if listed else chapter}"
            feed_path = chapter_feed(chapter)
            log_url = f"{site_url}{self.chapter_url(chapter, board) or site_root}#procedures-amendments-heading"
        return {"title": f"{title}: amendments", "entries": entries, "updated": updated, "author": site_name,
                "feed_url": f"{site_url}{site_root}{feed_path}", "log_url": log_url}

    def chapters_with_feeds(self, board: str | None) -> list[str]:
        """The chapters a site has a feed of: those published on it with amendments of their own there."""
        return [chapter for chapter, amendments in self.by_chapter.items()
                if chapter is not None and self.chapter_url(chapter, board) is not None
                and for_chapter(amendments, chapter, board)]

    def since_last_read(self, chapter: str, board: str | None, page_url: str, privacy_href: str) -> str:
        """The place for "amended since you last read it" at the top of a chapter, holding the chapter's
        amendments on this site, newest first (on the regional site each board's too, for a reader who
        picks one): `procedures.js` compares them with the version this browser last read."""
        listed = [a for a in self.by_chapter.get(chapter, []) if not a.withdrawn] if board is None else \
            self.own(chapter, board)
        if not listed:
            return ""
        window = listed[:READING_HISTORY]
        # The same amendments linked alike (every board without its own in the chapter): the same history.
        key = (tuple(map(id, window)),
               tuple(relative_url(changes_url(amendment), page_url) for amendment in window
                     if amendment.key in self.by_key))
        if key not in self.reading_histories:
            self.reading_histories[key] = self._reading_history(window, page_url)
        return self.markup.render_filled("since_last_read.html", {}, chapter=chapter, site=board or "",
                                         history=self.reading_histories[key], privacy_href=privacy_href,
                                         complete="yes" if len(listed) <= READING_HISTORY else "no")

    def _reading_history(self, window: Sequence[Amendment], page_url: str) -> str:
        """The newest amendments of a chapter on a site as JSON, quoted for an attribute."""
        history = []
        for entry in as_listed(window):  # what one commit changed in many places, once
            first = entry[0]
            history.append({
                "keys": [amendment.entry_key for amendment in entry], "date": first.date.isoformat(),
                "day": uk_date(first.date), "details": first.details,
                "boards": None if any(amendment.board is None for amendment in entry)
                else sorted({str(amendment.board) for amendment in entry}),
                "changes": [{"href": relative_url(changes_url(amendment), page_url), "board": amendment.board}
                            for amendment in entry if amendment.key in self.by_key],
            })
        # Quoted by Jinja's own `tojson` (safe in an attribute).
        policies = self.markup.environment.policies
        return htmlsafe_json_dumps(history, dumps=policies["json.dumps_function"], **policies["json.dumps_kwargs"])

    def chapter_feed_link(self, chapter: str, board: str | None, page_url: str) -> str:
        """The link to subscribe to a chapter on a site (in its amendments section, differing by board)."""
        if chapter not in self.by_chapter or not self.own(chapter, board):
            return ""
        site_root = f"{board}/" if board else ""
        return self.markup.render("chapter_feed.html", href=relative_url(site_root + chapter_feed(chapter), page_url))

    def recent_mark(self, chapter: str, board: str | None, today: dt.date,
                    within_days: int) -> tuple[RecentMark, dt.date] | None:
        """A chapter's "New" or "Updated" mark on a site (the regional site: shared amendments only)."""
        own = self.own(chapter, board)
        if not own:
            return None
        oldest = own[-1]
        # Its first version published on this site: the commit that added the chapter's file (a board's
        # overlay added to a shared chapter updates it).
        is_overlay = oldest.board is not None and self.chapter_url(chapter, None) is not None
        added = (oldest.date if oldest.change is not None and oldest.change.status == "A" and not is_overlay
                 else None)
        return recent_mark([amendment.date for amendment in own], added, today, within_days)

    def version_of(self, chapter: str, board: str | None) -> str | None:
        """A page's version id: the short commit of its newest amendment from git on that site."""
        for amendment in self.own(chapter, board):
            if amendment.commit:
                return amendment.commit[:12]
        return None

    def citation(self, chapter: str, title: str, board: str | None, url: str, site_url: str,
                 editions: Sequence[Edition]) -> str:
        """"Cite this version": the newest edition whose copy of the chapter is the current text, or, if
        the chapter changed after every edition, its version id."""
        own = [a for a in self.own(chapter, board) if a.landed_at]
        newest = max((a.landed_at for a in own if a.landed_at), default=None)
        for edition in reversed(editions):
            if newest is None or edition.landed_at >= newest:
                target = f"editions/{edition.name}/{url}"
                return self.markup.render("cite.html", href=relative_url(target, url), edition=edition.name)
            break  # the newest edition predates the current text; older ones do too
        version = self.version_of(chapter, board)
        if version is None:
            return ""
        return self.markup.render("cite.html", href=None, title=title, version=version, url=site_url + url)

    def as_json(self) -> str:
        """Every amendment, with the site addresses of its chapter and what-changed view (or null)."""
        records = []
        for amendment in self.amendments:
            url = self.chapter_url(amendment.chapter, amendment.board) if amendment.chapter and not \
                amendment.withdrawn else None
            changes = changes_url(amendment) if amendment.key in self.by_key else None
            records.append({**amendment.as_record(), "url": url, "changes": changes})
        # A record a line: as readable as `indent`, which has only the slow, pure-Python encoder (thousands of records).
        return ("[\n" + ",\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n]\n"
                if records else "[]\n")

    def check_page(self, site_name: str, language: str, stamp: str, sheet: str = "") -> str:
        """The printed-copy check: a static page that reads amendments.json in the reader's browser."""
        boards = json.dumps({board.id: board.name for board in self.boards.values()}, ensure_ascii=False)
        return self.markup.render("check_page.html", title="Check a printed page", site_name=site_name,
                                  language=language, root="../", home="../", stamp=Markup(stamp),
                                  sheet=Markup(sheet), boards=boards)


def assemble_views(
    history: History | None, catalogue: Catalogue, records_dir: Path | None, root: Path, zone: ZoneInfo,
    region: Region, markup: PageMarkup, urls: Mapping[str, str], cache: ComparisonCache | None,
    today: dt.date | None = None, readers: ReadersCopy | None = None,
) -> tuple[AmendmentViews, list[Problem]]:
    """The log from history and records, with addresses for each chapter on the regional and board sites.

    `urls` maps each regional page's source path to its site-relative address.
    """
    amendments, problems = collect(history, catalogue, records_dir, root, zone, today)
    ids = {chapter_id: path.removeprefix(catalogue.docs_root) for path, (chapter_id, _) in catalogue.chapters.items()}
    page_ids = {(page.board, page.chapter.id): f"{page.board}/{page.src_uri}"
                for pages in region.pages.values() for page in pages}

    def chapter_url(chapter_id: str, board: str | None) -> str | None:
        if board is not None and (board, chapter_id) in page_ids:
            path = page_ids[(board, chapter_id)].removesuffix(".md")
            return (path.removesuffix("index") if path.endswith("/index") else path + "/")
        src_uri = ids.get(chapter_id)
        if src_uri is None or src_uri not in urls:
            return None
        return f"{board}/{urls[src_uri]}" if board else urls[src_uri]

    incomplete = history is not None and history.shallow
    read_blob = history.read_blob if history is not None else _nothing_read
    views = AmendmentViews(amendments, region.boards, markup, chapter_url, read_blob, incomplete, readers, cache)
    return views, problems


def _nothing_read(blob: str | None) -> str:
    return ""


def editions_page(views: AmendmentViews, editions: Sequence[Edition], board: str | None, page_url: str,
                  zone: ZoneInfo, pdfs: bool = False) -> str:
    """The Editions page: newest first, each with a link (and with `pdfs` its PDF, which `procedures
    editions` prints) and the amendments it brought (shared, and on a board's site that board's own)."""
    listed = []
    previous: dt.datetime | None = None
    for edition in editions:  # oldest first, so each edition's amendments are those since the one before
        rows = [views.row(a, board, page_url) for a in for_site(views.amendments, board)
                if a.landed_at is not None and a.landed_at <= edition.landed_at
                and (previous is None or a.landed_at > previous)]
        site_root = f"editions/{edition.name}/" + (f"{board}/" if board else "")
        listed.append({"name": edition.name, "date": uk_date(edition.landed_at.astimezone(zone).date()),
                       "href": relative_url(site_root, page_url), "short": edition.sha[:12], "rows": rows,
                       "pdf_href": relative_url(site_root + whole_manual_pdf(board), page_url) if pdfs else None})
        previous = edition.landed_at
    return views.markup.render("editions.html", editions=list(reversed(listed)))
