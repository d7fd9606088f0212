"""History read in one pass from real repositories: first-parent dates, merges, renames, trailers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_procedures.core import history as history_module
from mkdocs_procedures.core.amendments import Amendment, Catalogue, amendments_from_history, as_listed
from mkdocs_procedures.core.history import HistoryError, forget_read_histories, read_history
from procedures_tools.history_check import check_repository, compare
from procedures_tools.synthetic import SyntheticProject

from .gitrepo import Repository

LONDON = ZoneInfo("Europe/London")
ROOTS = ["docs", "boards"]


def chapter(title: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\n---\n\n## Section\n\n{body}\n"


def catalogue(**chapters: str) -> Catalogue:
    return Catalogue(
        chapters={f"docs/{path}": (path.removesuffix(".md").split("/")[-1], title) for path, title in chapters.items()},
        overlays={"boards/north/overlays/referrals.md": ("north", "referrals")},
        board_pages={"boards/north/pages/contacts.md": ("north", "contacts", "North Contacts")},
        board_names={"north": "North Partnership"},
    )


def test_merged_changes_are_dated_when_they_landed_with_the_side_branchs_trailers(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Start", "2025-01-01T09:00:00+00:00", docs__referrals_md=chapter("Referrals"))
    repo.git("checkout", "-q", "-b", "draft")
    repo.commit("Redraft\n\nAmendment: Clarified when to refer\n", "2025-02-01T09:00:00+00:00",
                docs__referrals_md=chapter("Referrals", "New text."))
    repo.git("checkout", "-q", "main")
    repo.commit("Unrelated tooling", "2025-02-10T09:00:00+00:00", tools__x_py="print()\n")
    repo.git("merge", "-q", "--no-ff", "draft", "-m", "Merge draft", date="2025-03-15T23:30:00+00:00")
    history = read_history(repo.root, ROOTS)
    assert [commit.subject for commit in history.commits] == ["Merge draft", "Start"]
    amendments = amendments_from_history(history, catalogue(**{"referrals.md": "Referrals"}), LONDON)
    assert [(a.date, a.details, a.chapter) for a in amendments] == [
        (dt.date(2025, 3, 15), "Clarified when to refer", "referrals"),
        (dt.date(2025, 1, 1), "Start", "referrals"),
    ]


def test_dates_are_taken_in_the_configured_time_zone(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Late edit", "2025-06-30T23:30:00+00:00", docs__a_md=chapter("A"))
    history = read_history(repo.root, ROOTS)
    amendment, = amendments_from_history(history, catalogue(**{"a.md": "A"}), LONDON)
    assert amendment.date == dt.date(2025, 7, 1)  # 00:30 British Summer Time
    assert amendment.landed_at == dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC)


def test_a_renamed_chapter_keeps_its_history(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    body = "\n".join(f"Line {n} of a long enough chapter." for n in range(20))
    repo.commit("Write chapter\n\nAmendment: New chapter\n", "2025-01-01T09:00:00+00:00",
                docs__old_md=chapter("Chapter", body))
    (repo.root / "docs" / "part").mkdir()
    repo.git("mv", "docs/old.md", "docs/part/new.md")
    repo.commit("Move chapter into its part\n\nAmendment: none\n", "2025-02-01T09:00:00+00:00")
    repo.commit("Amendment: Fixed wording", "2025-03-01T09:00:00+00:00",
                docs__part__new_md=chapter("Chapter", body + "\nMore."))
    history = read_history(repo.root, ROOTS)
    amendments = amendments_from_history(history, catalogue(**{"part/new.md": "Chapter"}), LONDON)
    assert [(a.details, a.chapter, a.path, a.withdrawn) for a in amendments] == [
        ("Fixed wording", "new", "docs/part/new.md", False),
        ("New chapter", "new", "docs/part/new.md", False),
    ]


def test_editorial_commits_are_left_out_and_trailers_win_over_subjects(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Add chapter", "2025-01-01T09:00:00+00:00", docs__a_md=chapter("A"))
    repo.commit("Fix typo\n\nAmendment: none\n", "2025-01-02T09:00:00+00:00", docs__a_md=chapter("A", "Txt."))
    repo.commit("Rework\n\nAmendment: Added a section on timescales\nAmendment: Removed old links\n",
                "2025-01-03T09:00:00+00:00", docs__a_md=chapter("A", "Other."))
    history = read_history(repo.root, ROOTS)
    assert [c.editorial for c in history.commits] == [False, True, False]
    amendments = amendments_from_history(history, catalogue(**{"a.md": "A"}), LONDON)
    assert [a.details for a in amendments] == ["Added a section on timescales; Removed old links", "Add chapter"]


def test_board_changes_are_amendments_for_that_board_only(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Regional", "2025-01-01T09:00:00+00:00", docs__referrals_md=chapter("Referrals"))
    repo.commit("Local", "2025-01-02T09:00:00+00:00", boards__north__overlays__referrals_md="::: end\nX\n:::\n",
                boards__north__pages__contacts_md=chapter("North Contacts"), boards__north__board_yml="name: N\n")
    history = read_history(repo.root, ROOTS)
    amendments = amendments_from_history(history, catalogue(**{"referrals.md": "Referrals"}), LONDON)
    assert sorted((a.chapter or "", a.board or "", a.title) for a in amendments) == [
        ("", "north", "North Partnership: board details and contacts"),
        ("contacts", "north", "North Contacts"),
        ("referrals", "", "Referrals"),
        ("referrals", "north", "Referrals"),
    ]


def test_a_deleted_chapter_stays_in_the_log_as_withdrawn(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Add", "2025-01-01T09:00:00+00:00", docs__gone_md=chapter("Gone Chapter"), docs__a_md=chapter("A"))
    repo.git("rm", "-q", "docs/gone.md")
    repo.commit("Amendment: Withdrawn: replaced by national guidance", "2025-02-01T09:00:00+00:00")
    history = read_history(repo.root, ROOTS)
    amendments = amendments_from_history(history, catalogue(**{"a.md": "A"}), LONDON,
                                         lambda blob: "Gone Chapter" if blob else None)
    gone = [(a.chapter, a.title, a.withdrawn) for a in amendments if a.chapter == "gone"]
    assert gone == [("gone", "Gone Chapter", True), ("gone", "Gone Chapter", True)]


def test_messages_that_are_not_utf8_do_not_stop_the_build(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.git("config", "i18n.commitEncoding", "ISO-8859-1")
    repo.commit("Caf\xe9 r\xe9vision\n\nAmendment: Mise \xe0 jour\n".encode("latin-1"), "2025-01-01T09:00:00+00:00",
                docs__a_md=chapter("A"))
    repo.git("config", "--unset", "i18n.commitEncoding")
    repo.commit(b"Broken \xff\xfe bytes", "2025-01-02T09:00:00+00:00", docs__a_md=chapter("A", "B"))
    history = read_history(repo.root, ROOTS)
    details = [c.details for c in history.commits]
    assert details[1] == "Mise à jour"
    assert details[0].startswith("Broken ") and details[0].endswith(" bytes")


def test_only_commits_under_the_content_folders_count(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Content", "2025-01-01T09:00:00+00:00", docs__a_md=chapter("A"))
    repo.commit("Tooling only", "2025-01-02T09:00:00+00:00", Makefile="all:\n", docsy__x_md="no\n")
    assert [c.subject for c in read_history(repo.root, ROOTS).commits] == ["Content"]


def test_a_kept_history_is_given_again_for_the_same_tip_and_read_again_for_a_new_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Start", "2025-01-01T09:00:00+00:00", docs__referrals_md=chapter("Referrals"))
    repo.git("checkout", "-q", "-b", "draft")
    repo.commit("Redraft\n\nAmendment: Clarified <when> to refer\n", "2025-02-01T09:00:00+00:00",
                docs__referrals_md=chapter("Referrals", "New text."))
    repo.git("mv", "docs/referrals.md", "docs/making-referrals.md")
    repo.commit("Rename", "2025-02-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "draft", "-m", "Merge draft", date="2025-03-15T23:30:00+00:00")
    kept = tmp_path / "cache" / "history.json"
    forget_read_histories()
    first = read_history(repo.root, ROOTS, kept=kept)
    assert kept.is_file() and [c.subject for c in first.commits] == ["Merge draft", "Start"]

    def no_git_log(raw: bytes) -> None:
        raise AssertionError("the branch was walked again")

    forget_read_histories()
    with monkeypatch.context() as patched:
        patched.setattr(history_module, "parse_log", no_git_log)
        given = read_history(repo.root, ROOTS, kept=kept)
    assert given.commits == first.commits
    assert given.commits[0].merged_subjects == ("Redraft", "Rename")
    assert {change.status for change in given.commits[0].changes} == {"R"}

    repo.commit("Later", "2025-04-01T09:00:00+00:00", docs__a_md=chapter("A"))
    forget_read_histories()
    newer = read_history(repo.root, ROOTS, kept=kept)
    assert [c.subject for c in newer.commits] == ["Later", "Merge draft", "Start"]
    kept.write_text('{"format": 1, "key": [', encoding="utf-8")  # cut short: read the branch again
    forget_read_histories()
    assert read_history(repo.root, ROOTS, kept=kept).commits == newer.commits
    forget_read_histories()
    assert read_history(repo.root, ROOTS).commits == newer.commits


def test_a_shallow_clone_is_refused_unless_allowed(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("One", "2025-01-01T09:00:00+00:00", docs__a_md=chapter("A"))
    repo.commit("Two", "2025-01-02T09:00:00+00:00", docs__a_md=chapter("A", "Two"))
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    with pytest.raises(HistoryError, match=r"shallow clone.*git fetch --unshallow"):
        read_history(clone, ROOTS)
    history = read_history(clone, ROOTS, allow_shallow=True)
    assert history.shallow and [c.subject for c in history.commits] == ["Two"]


def test_outside_a_repository_the_error_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match=r"is not inside a git repository.*history: \{enabled: false\}"):
        read_history(tmp_path, ROOTS)


def test_the_project_may_sit_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "r")
    repo.commit("Add", "2025-01-01T09:00:00+00:00", manual__docs__a_md=chapter("A"), docs__other_md="x")
    history = read_history(repo.root / "manual", ROOTS)
    assert [change.path for change in history.commits[0].changes] == ["docs/a.md"]


# Property: every content-changing, non-editorial commit appears exactly once per file it changed, with
# its landing date, its board, and the chapter that file is: for a file live at the end its chapter's
# id, for a file deleted by the end its own withdrawn rows under its last id. Files are deleted and
# added again; `docs/x/a.md` shares its name with `docs/a.md` (its id is `x-a`).
PATHS = ["docs/a.md", "docs/b.md", "docs/x/a.md", "boards/north/overlays/referrals.md"]
IDS = {"docs/a.md": "a", "docs/b.md": "b", "docs/x/a.md": "x-a", "boards/north/overlays/referrals.md": "referrals"}
operation = st.tuples(
    st.lists(st.tuples(st.sampled_from(PATHS), st.booleans()), min_size=1, max_size=3,
             unique_by=lambda item: item[0]),  # (path, delete it if it exists)
    st.booleans(),  # editorial
    st.booleans(),  # made on a side branch and merged
)


def _text(path: str, number: int) -> str:
    """A file's text: its own words (so git never takes one file for another moved), its version."""
    if path.startswith("boards/"):
        return f"::: end\nNorth text, version {number}.\n:::\n"
    own = "\n".join(f"{path} says {word} {index}." for index, word in enumerate(path.split("/") * 8))
    chapter_id = f"id: {IDS[path]}\n" if path == "docs/x/a.md" else ""
    return f"---\ntitle: T\n{chapter_id}---\n\n## Section\n\n{own}\n\nVersion {number}\n"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=7))
def test_every_amending_commit_appears_once_per_file_it_changed(
        tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[list[tuple[str, bool]], bool, bool]]) -> None:
    repo = Repository(tmp_path_factory.mktemp("property") / "r")
    repo.commit("Start outside the content folders", "2024-12-01T09:00:00+00:00", README_md="Manual\n")
    existing: set[str] = set()
    changed: list[tuple[str, str, dt.date]] = []  # (details, path, landed)
    for number, (edits, editorial, branched) in enumerate(operations):
        day = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=2 * number)
        if branched:
            repo.git("checkout", "-q", "-b", f"side{number}")
        for path, delete in edits:
            if delete and path in existing:
                repo.git("rm", "-q", path)
                existing.discard(path)
            else:
                repo.write(path, _text(path, number))
                existing.add(path)
        repo.commit(f"Change {number}\n\nAmendment: {'none' if editorial else f'Details {number}'}\n",
                    day.isoformat())
        landed = day
        if branched:
            repo.git("checkout", "-q", "main")
            landed = day + dt.timedelta(days=1)
            repo.git("merge", "-q", "--no-ff", f"side{number}", "-m", f"Merge {number}", date=landed.isoformat())
        if not editorial:
            changed.extend((f"Details {number}", path, landed.date()) for path, _ in edits)
    live = {path: IDS[path] for path in existing if path.startswith("docs/")}
    at_end = Catalogue(chapters={"docs/referrals.md": ("referrals", "Referrals"),
                                 **{path: (chapter_id, "T") for path, chapter_id in live.items()}},
                       overlays={"boards/north/overlays/referrals.md": ("north", "referrals")}, board_pages={},
                       board_names={"north": "North Partnership"})
    history = read_history(repo.root, ROOTS)

    def id_of(blob: str | None) -> str | None:
        found = re.search(r"^id: (\S+)$", history.read_blob(blob), re.M)
        return found.group(1) if found else None

    found = amendments_from_history(history, at_end, ZoneInfo("UTC"), id_of_blob=id_of)
    expected = [(details, path, IDS[path], "north" if path.startswith("boards/") else None, landed,
                 path.startswith("docs/") and path not in existing) for details, path, landed in changed]
    assert sorted((a.details, a.path, a.chapter, a.board, a.date, a.withdrawn) for a in found) == sorted(expected)


def test_the_benchmarks_history_check_agrees_on_a_project_and_names_what_differs(tmp_path: Path) -> None:
    root = SyntheticProject(300, chapters=30).write(tmp_path / "project")
    report = check_repository(root, "docs", runs=1)
    assert "0 missing, 0 extra, 0 wrong date, 0 wrong chapter" in report, report
    expected = {("a", "live:docs/x.md"): "2025-01-01T09:00:00+00:00", ("b", "live:docs/y.md"): "2025-01-02T09:00:00+00:00",
                ("c", "live:docs/z.md"): "2025-01-03T09:00:00+00:00"}
    found = {("a", "live:docs/x.md"): "2025-01-01T10:00:00+01:00", ("b", "withdrawn:docs/y.md"): "2025-01-02T09:00:00+00:00",
             ("c", "live:docs/z.md"): "2025-01-04T09:00:00+00:00", ("d", "live:docs/x.md"): "2025-01-05T09:00:00+00:00"}
    result = compare(expected, found)
    assert (result.missing, result.extra, result.wrong_date, result.wrong_chapter) == (
        [], [("d", "live:docs/x.md")], [("c", "live:docs/z.md")], [("b", "live:docs/y.md")])


amendment_parts = st.lists(st.tuples(st.sampled_from(["c1", "c2", None]), st.sampled_from(["a", "b", "c"]),
                                     st.sampled_from([None, "north", "south"]), st.sampled_from(["Said", "Other"])),
                           max_size=12)


@given(amendment_parts)
def test_the_log_lists_each_amendment_once_and_a_commits_many_pages_together(
        parts: list[tuple[str | None, str, str | None, str]]) -> None:
    amendments = [Amendment(dt.date(2026, 1, 1), chapter, chapter or "Details", f"{chapter}.md", details, board,
                            commit=commit) for commit, chapter, board, details in parts]
    entries = as_listed(amendments)
    listed = [amendment for entry in entries for amendment in entry]
    assert sorted(map(repr, listed)) == sorted(map(repr, amendments))
    for entry in entries:
        assert len({(a.commit, a.details, a.date) for a in entry}) == 1
        assert entry[0].commit is not None or len(entry) == 1  # records stand alone
        assert [a.board is not None for a in entry] == sorted(a.board is not None for a in entry)
    said = [(a.commit, a.details) for a in amendments if a.commit]
    assert len([entry for entry in entries if entry[0].commit]) == len(set(said))
    # Entries keep the order of their first amendment.
    position = {id(a): index for index, a in enumerate(amendments)}
    starts = [min(position[id(a)] for a in entry) for entry in entries]
    assert starts == sorted(starts)
