"""The amendments log: what changed in which chapter, for whom, and when.

Amendments come from two places: the published branch's history (one per commit and chapter it
changed), and records in `amendments/` for changes made before the manual moved to git. A change to a
regional chapter is a shared amendment; a change to a board's overlay, board-only page or `board.yml`
is an amendment for that board only. Commits whose trailer says `Amendment: none` are editorial and
not listed, and so do not move a chapter's "Last amended" date either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .chapters import default_id, read_front_matter
from .history import EMPTY_BLOB, FileChange, History, visible_controls
from .located_yaml import LocatedYamlError, load_located
from .problems import Problem, Severity, did_you_mean
from .region import Region, RegionalChapter
from .source_files import read_text

MAX_RECORDS_BYTES = 16 * 1024 * 1024
"""A file of amendment records may hold a long list exported from an earlier system."""

RECORD_FIELDS = ("chapter", "details", "date", "board")
_H1 = re.compile(r"^#[ \t]+(.+)$", re.M)


@dataclass(frozen=True)
class Amendment:
    date: dt.date
    chapter: str | None
    """The chapter's id; None for a change to a board's details (`board.yml`)."""
    title: str
    path: str
    details: str
    board: str | None = None
    commit: str | None = None
    source: str = "git"
    withdrawn: bool = False
    landed_at: dt.datetime | None = field(default=None, compare=False)
    change: FileChange | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def key(self) -> str:
        """A stable name for this amendment's what-changed view: `<commit>-<chapter>[-<board>]`."""
        parts = [self.commit[:12] if self.commit else "record", self.chapter or "details"]
        if self.board:
            parts.append(self.board)
        if self.withdrawn and self.chapter is not None:
            # A withdrawn file may share its id with a live chapter, or another withdrawn file: its path
            # tells them apart.
            parts.append("withdrawn-" + hashlib.sha1(self.path.encode()).hexdigest()[:8])
        return "-".join(parts)

    @property
    def entry_key(self) -> str:
        """A name unique among the amendments and the same in every build, for a feed entry's id: the
        view's key, and for a record (which has no commit) with a digest of what the record says."""
        if self.commit:
            return self.key
        said = "|".join([self.date.isoformat(), self.chapter or "", self.board or "", self.details, self.path])
        return f"{self.key}-{hashlib.sha1(said.encode()).hexdigest()[:10]}"

    def as_record(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "chapter": self.chapter,
            "title": self.title,
            "path": self.path,
            "details": self.details,
            "board": self.board,
            "commit": self.commit,
            "source": self.source,
            "withdrawn": self.withdrawn,
        }


@dataclass(frozen=True)
class Catalogue:
    """What the current tree publishes, by project-relative source path."""

    chapters: Mapping[str, tuple[str, str]]
    """`docs/...md` → (chapter id, title)."""
    overlays: Mapping[str, tuple[str, str]]
    """`boards/<b>/overlays/...md` → (board id, chapter id)."""
    board_pages: Mapping[str, tuple[str, str, str]]
    """`boards/<b>/pages/...md` → (board id, page id, title)."""
    board_names: Mapping[str, str]
    docs_root: str = "docs/"
    boards_root: str = "boards/"
    previous_paths: Mapping[str, str] = field(default_factory=dict)
    """A path a file had before a move git did not see → its path now (from `previous_paths:`)."""

    def title_of(self, chapter_id: str) -> str | None:
        for found_id, title in self.chapters.values():
            if found_id == chapter_id:
                return title
        for _, page_id, title in self.board_pages.values():
            if page_id == chapter_id:
                return title
        return None

    def chapter_ids(self) -> set[str]:
        return {chapter_id for chapter_id, _ in self.chapters.values()} | {
            page_id for _, page_id, _ in self.board_pages.values()
        }


def catalogue_for(chapters: Sequence[RegionalChapter], region: Region, docs_root: str,
                  boards_root: str) -> Catalogue:
    """What the current tree publishes, as the history needs it to name chapters and boards."""
    return Catalogue(
        chapters={c.chapter.path: (c.chapter.id, c.chapter.title) for c in chapters},
        overlays={overlay.path: (overlay.board, overlay.chapter_id)
                  for overlays in region.overlays.values() for overlay in overlays},
        board_pages={page.path: (page.board, page.chapter.id, page.chapter.title)
                     for pages in region.pages.values() for page in pages},
        board_names={board.id: board.name for board in region.boards.values()},
        docs_root=docs_root.rstrip("/") + "/",
        boards_root=boards_root.rstrip("/") + "/",
        previous_paths={previous: chapter.path for chapter in [*(c.chapter for c in chapters),
                                                               *(p.chapter for ps in region.pages.values()
                                                                 for p in ps)]
                        for previous in chapter.previous_paths},
    )


def amendments_from_history(
    history: History, catalogue: Catalogue, zone: ZoneInfo,
    title_of_blob: Callable[[str | None], str | None] = lambda blob: None,
    id_of_blob: Callable[[str | None], str | None] = lambda blob: None,
) -> list[Amendment]:
    """One amendment per non-editorial commit and chapter, newest first.

    A chapter is a file followed through its moves: those git saw as renames, and those its front matter
    names in `previous_paths`. A file deleted since keeps its own rows (withdrawn), never a live chapter's
    that shares its name or id."""
    # A path as it was then → the path it has now; every path not here is its own.
    current_path: dict[str, str] = dict(catalogue.previous_paths)
    amendments: list[Amendment] = []
    for commit in history.commits:  # newest first, so renames are undone as we go back in time
        found: dict[tuple[str | None, str | None, str | None], Amendment] = {}
        for change in commit.changes:
            path = current_path.get(change.path, change.path)
            if change.old_path is not None:
                current_path[change.old_path] = path
            if commit.editorial:
                continue
            amendment = amendment_for(path, change, catalogue, commit.details, commit.landed_at, zone,
                                       commit.sha, title_of_blob, id_of_blob, path_then=change.path)
            if amendment is not None:
                identity = amendment.path if amendment.withdrawn else None
                found.setdefault((amendment.chapter, amendment.board, identity), amendment)
        amendments.extend(found.values())
    # A withdrawn file is listed under the id and title it had last, on every row.
    last: dict[str, Amendment] = {}
    return [dataclasses.replace(a, chapter=last.setdefault(a.path, a).chapter, title=last[a.path].title)
            if a.withdrawn else a for a in amendments]


def amendment_for(
    path: str, change: FileChange, catalogue: Catalogue, details: str, landed_at: dt.datetime,
    zone: ZoneInfo, sha: str, title_of_blob: Callable[[str | None], str | None],
    id_of_blob: Callable[[str | None], str | None] = lambda blob: None, path_then: str | None = None,
) -> Amendment | None:
    """The amendment a change makes: shared, a board's, or none. Whose change it was comes from the file's
    path in that commit (`path_then`); which chapter it belongs to, from its path now (`path`, the same
    file followed through its moves), so a chapter moved into a board's pages keeps its regional rows."""
    path_then = path_then or path
    date = landed_at.astimezone(zone).date()
    common: dict[str, Any] = {"date": date, "details": details, "commit": sha, "landed_at": landed_at,
                              "change": change, "path": path}

    def page() -> dict[str, Any]:
        """The page a file is now: a live chapter or board page, or a withdrawn one with its last id and title."""
        if path in catalogue.chapters:
            chapter_id, title = catalogue.chapters[path]
            return {"chapter": chapter_id, "title": title}
        if path in catalogue.board_pages:
            _, page_id, title = catalogue.board_pages[path]
            return {"chapter": page_id, "title": title}
        # What the file last said of itself: the text it had before this change, unless the change made it.
        blob = change.old_blob if change.old_blob and change.old_blob != EMPTY_BLOB else change.new_blob
        if path.startswith(catalogue.boards_root):  # boards/<board>/pages/<src_uri>
            src_uri = path.removeprefix(catalogue.boards_root).split("/", 2)[-1]
        else:
            src_uri = path.removeprefix(catalogue.docs_root)
        chapter_id = id_of_blob(blob) or default_id(src_uri)
        return {"chapter": chapter_id, "title": title_of_blob(blob) or chapter_id, "withdrawn": True}

    if path_then.startswith(catalogue.docs_root) and path_then.endswith(".md"):
        return Amendment(**page(), **common)
    if not path_then.startswith(catalogue.boards_root):
        return None
    parts = path_then.removeprefix(catalogue.boards_root).split("/")
    board = parts[0]
    if len(parts) == 2 and parts[1] == "board.yml":
        name = catalogue.board_names.get(board, board)
        return Amendment(chapter=None, title=f"{name}: board details and contacts", board=board,
                         withdrawn=board not in catalogue.board_names, **common)
    if not path.endswith(".md") or len(parts) < 3:
        return None
    if parts[1] == "overlays":
        # An overlay's rows are its chapter's, on its board's site; a deleted overlay is a local text
        # taken away from a chapter that may well be live.
        overlay_board, chapter_id = catalogue.overlays.get(path, (board, posixpath.splitext(parts[-1])[0]))
        chapter_title = catalogue.title_of(chapter_id)
        return Amendment(chapter=chapter_id, title=chapter_title or chapter_id, board=overlay_board,
                         withdrawn=chapter_title is None, **common)
    if parts[1] == "pages":
        return Amendment(**page(), board=board, **common)
    return None


def load_records(folder: Path | None, root: Path, catalogue: Catalogue, today: dt.date | None = None,
                 withdrawn: Mapping[str, str] | None = None) -> tuple[list[Amendment], list[Problem]]:
    """Amendments recorded before the manual was kept in git: `amendments/*.yml`, each a list of
    `chapter`, `details`, `date` (YYYY-MM-DD or dd-mm-yyyy) and optional `board`."""
    if folder is None or not folder.is_dir():
        return [], []
    records: list[Amendment] = []
    problems: list[Problem] = []
    withdrawn = withdrawn or {}
    chapter_ids = catalogue.chapter_ids() | set(withdrawn)
    for source in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        path = source.relative_to(root).as_posix()
        text, unreadable = read_text(source, root, MAX_RECORDS_BYTES)
        problems.extend(unreadable)
        if text is None:
            continue
        try:
            located = load_located(text)
        except LocatedYamlError as error:
            problems.append(Problem(path, error.line, str(error)))
            continue
        entries = located.values or []
        if not isinstance(entries, list):
            problems.append(Problem(path, 1, "expected a list of amendments, each `- chapter: ...`"))
            continue
        for index, entry in enumerate(entries):
            line = located.line_of(str(index), 1)
            if not isinstance(entry, dict):
                problems.append(Problem(path, line, "expected `chapter`, `details` and `date`"))
                continue
            record, found = _read_record(path, index, entry, located.lines, chapter_ids, catalogue, today,
                                         withdrawn)
            problems.extend(found)
            if record is not None:
                records.append(record)
    return records, problems


def _read_record(path: str, index: int, entry: Mapping[str, Any], lines: Mapping[str, int],
                 chapter_ids: set[str], catalogue: Catalogue, today: dt.date | None,
                 withdrawn: Mapping[str, str]) -> tuple[Amendment | None, list[Problem]]:
    problems: list[Problem] = []

    def line_of(name: str) -> int | None:
        return lines.get(f"{index}.{name}", lines.get(str(index)))

    chapter = entry.get("chapter")
    if not isinstance(chapter, str) or chapter not in chapter_ids:
        problems.append(Problem(path, line_of("chapter"), f"field `chapter`: no chapter has the id `{chapter}`; "
                                f"{did_you_mean(str(chapter), chapter_ids)}"))
    details = entry.get("details")
    if not isinstance(details, str) or not details.strip():
        problems.append(Problem(path, line_of("details"), "field `details`: expected what was changed, as text"))
    date = _read_date(entry.get("date"))
    if date is None:
        problems.append(Problem(path, line_of("date"), f"field `date`: expected a date written YYYY-MM-DD or "
                                f"dd-mm-yyyy, found `{entry.get('date')}`"))
    board = entry.get("board")
    if board is not None and board not in catalogue.board_names:
        problems.append(Problem(path, line_of("board"), f"field `board`: no board has the id `{board}`; "
                                f"{did_you_mean(str(board), catalogue.board_names)}"))
    for name in entry:
        if name not in RECORD_FIELDS:
            problems.append(Problem(path, line_of(name), f"unknown field `{name}`; expected only "
                                    + ", ".join(f"`{known}`" for known in RECORD_FIELDS)))
    if problems or date is None or not isinstance(chapter, str) or not isinstance(details, str):
        return None, problems
    if today is not None and date > today:
        problems.append(Problem(path, line_of("date"), f"field `date`: {date.isoformat()} is after today "
                                f"({today.isoformat()}); expected the date the amendment was made", Severity.WARNING))
    live_title = catalogue.title_of(chapter)
    return Amendment(date=date, chapter=chapter, title=live_title or withdrawn.get(chapter, chapter), path=path,
                     details=visible_controls(details.strip()), board=board, source="record",
                     withdrawn=live_title is None), problems


def _read_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    return None


def newest_first(amendments: Iterable[Amendment]) -> list[Amendment]:
    """Newest first; on the same day git amendments by landing time, then records in file order."""
    indexed = list(enumerate(amendments))
    return [amendment for _, amendment in sorted(
        indexed,
        key=lambda item: (
            item[1].date,
            item[1].landed_at.timestamp() if item[1].landed_at else 0.0,
            -item[0],
        ),
        reverse=True,
    )]


def for_site(amendments: Sequence[Amendment], board: str | None) -> list[Amendment]:
    """What a site lists: the regional site everything, a board's site shared plus its own."""
    if board is None:
        return list(amendments)
    return [amendment for amendment in amendments if amendment.board in (None, board)]


def for_chapter(amendments: Sequence[Amendment], chapter: str, board: str | None) -> list[Amendment]:
    """A live chapter's own amendments on a site: shared ones, plus the board's on that board's site.
    Rows of withdrawn files that had the same id are not the chapter's."""
    return [a for a in amendments
            if a.chapter == chapter and not a.withdrawn and (a.board is None or a.board == board)]


def as_listed(amendments: Sequence[Amendment]) -> list[list[Amendment]]:
    """The log's entries: what one commit changed in many chapters or boards at once, saying one thing on
    one day, is one amendment listed once with everything it touched. Records (no commit) stand alone.
    Entries keep the order of their first amendment; inside an entry, shared before boards'."""
    entries: list[list[Amendment]] = []
    by_change: dict[tuple[str, str, dt.date], list[Amendment]] = {}
    for amendment in amendments:
        if amendment.commit is None:
            entries.append([amendment])
            continue
        said = (amendment.commit, amendment.details, amendment.date)
        if said not in by_change:
            by_change[said] = []
            entries.append(by_change[said])
        by_change[said].append(amendment)
    return [sorted(entry, key=lambda a: a.board is not None) for entry in entries]


@functools.lru_cache(maxsize=4096)
def uk_date(date: dt.date) -> str:
    """The reference sites' style: dd-mm-yyyy."""
    return date.strftime("%d-%m-%Y")


def collect(history: History | None, catalogue: Catalogue, records_dir: Path | None, root: Path,
            zone: ZoneInfo, today: dt.date | None = None) -> tuple[list[Amendment], list[Problem]]:
    """The whole log, newest first: the history's amendments and the records that predate git. An
    amendment dated after `today` is a warning: a clock was wrong, or a date mistyped."""
    from_git: list[Amendment] = []
    problems: list[Problem] = []
    if history is not None:
        from_git = amendments_from_history(history, catalogue, zone, *titles_and_ids(history))
        for commit in history.commits:
            if today is not None and (landed := commit.landed_at.astimezone(zone).date()) > today:
                problems.append(Problem(f"commit {commit.sha[:12]}", None, f"\"{commit.details}\" is dated "
                                        f"{landed.isoformat()}, after today ({today.isoformat()}); expected a "
                                        "commit date in the past (check the clock of the machine that made it)",
                                        Severity.WARNING))
    # A record may name a chapter withdrawn since: the history knows its id and its last title.
    withdrawn = {a.chapter: a.title for a in reversed(from_git) if a.withdrawn and a.chapter is not None}
    records, found = load_records(records_dir, root, catalogue, today, withdrawn)
    problems.extend(found)
    return newest_first([*from_git, *records]), problems


def titles_and_ids(history: History) -> tuple[Callable[[str | None], str | None], Callable[[str | None], str | None]]:
    """What a version of a page said of itself, by blob id: its front matter's `title`, and its `id`."""
    text = functools.lru_cache(maxsize=256)(history.read_blob)

    def title(blob: str | None) -> str | None:
        """The front matter's title, or the page's first `# ` heading (as MkDocs titles a page without one)."""
        return _text_field(_front_of(text(blob)), "title") or _first_heading(text(blob))

    return title, (lambda blob: _text_field(_front_of(text(blob)), "id"))


def _front_of(text: str) -> Mapping[str, Any]:
    try:
        values = read_front_matter(text).values
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def _first_heading(text: str) -> str | None:
    try:
        body = read_front_matter(text).body
    except ValueError:
        body = text
    match = _H1.search(body)
    return match.group(1).strip().rstrip("#").strip() or None if match else None


def _text_field(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    return value if isinstance(value, str) and value.strip() else None
