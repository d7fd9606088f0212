"""Histories as real manuals have them: files that share a name in different folders, chapters deleted,
moved where git cannot see the move, moved into a board, withdrawn with records from before git, and
merges made on a code host. Every row of the log, and each chapter's "Last amended", version and
check answer, belongs to the right file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from .conftest import Project, chapter, serve

NORTH = ("name: North Partnership\nshort_name: North\nwebsite: https://north.example.org/\n"
         "contacts:\n  front_door:\n    label: Door\n    phone: 01632 960111\n"
         "admins:\n  - name: Lead\n    email: lead@north.example.org\n")


@pytest.fixture
def manual(project: Project) -> Project:
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"},
                             {"API": ["api/base-views.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "amendments_dir": "amendments"})
    project.write("boards/north/board.yml", NORTH)
    project.write("amendments/old.yml", "")
    project.write_pages({"api/base-views.md": chapter("Base Views", "## Views\n\nLive text.\n"),
                         "migration/base-views.md": chapter("Migrating Base Views", "## Steps\n\nOld text.\n",
                                                            id="migrating-base-views")})
    project.config["not_in_nav"] = "migration/*"
    project.commit("Add both base views pages", "2026-01-05T10:00:00+00:00")
    return project


def rows(site: Path) -> list[dict[str, Any]]:
    return json.loads((site / "amendments.json").read_text())  # type: ignore[no-any-return]


def page(manual: Project, url: str) -> BeautifulSoup:
    return BeautifulSoup(manual.html(url), "html.parser")


def last_amended(manual: Project, url: str) -> str:
    found = page(manual, url).select_one(".procedures-last-amended")
    return found.get_text() if found is not None else ""


def version(manual: Project, url: str) -> str:
    found = page(manual, url).select_one(".procedures-stamp__check")
    assert found is not None
    return found.get_text().split("Version ", 1)[1].split(".", 1)[0]


def test_files_sharing_a_name_in_one_commit_each_keep_their_row(manual: Project) -> None:
    listed = [(r["chapter"], r["path"], r["withdrawn"]) for r in rows(manual.build())]
    assert ("base-views", "docs/api/base-views.md", False) in listed
    assert ("migrating-base-views", "docs/migration/base-views.md", False) in listed


def test_a_deleted_file_sharing_a_stem_keeps_its_rows_and_moves_nothing_of_the_live_chapter(
        manual: Project) -> None:
    first = manual.git("rev-parse", "HEAD").strip()
    manual.write_pages({"migration/base-views.md": chapter("Migrating Base Views", "## Steps\n\nNewer text.\n")})
    manual.commit("Amendment: Migration steps rewritten", "2026-02-01T10:00:00+00:00")  # its id is now the stem
    manual.git("rm", "-q", "docs/migration/base-views.md")
    deleted = manual.commit("Amendment: Migration guide withdrawn", "2026-03-01T10:00:00+00:00")
    site = manual.build()
    listed = [(r["chapter"], r["path"], r["details"], r["date"], r["withdrawn"]) for r in rows(site)]
    migration = [row for row in listed if row[1] == "docs/migration/base-views.md"]
    assert migration == [
        ("base-views", "docs/migration/base-views.md", "Migration guide withdrawn", "2026-03-01", True),
        ("base-views", "docs/migration/base-views.md", "Migration steps rewritten", "2026-02-01", True),
        ("base-views", "docs/migration/base-views.md", "Add both base views pages", "2026-01-05", True),
    ]
    live = [row for row in listed if row[1] == "docs/api/base-views.md"]
    assert live == [("base-views", "docs/api/base-views.md", "Add both base views pages", "2026-01-05", False)]
    assert last_amended(manual, "api/base-views/") == "Last amended: 05-01-2026"
    assert version(manual, "api/base-views/") == first[:12] != deleted[:12]
    views = {r["changes"] for r in rows(site) if r["changes"]}
    assert len(views) == len([r for r in rows(site) if r["changes"]])  # no two rows share a view


def test_a_move_git_cannot_see_starts_a_new_history_unless_previous_paths_names_it(manual: Project) -> None:
    manual.git("rm", "-q", "docs/migration/base-views.md")
    manual.write_pages({"guides/migrating.md": chapter("Migrating", "## Entirely new words\n\nRewritten whole.\n",
                                                       id="migrating-base-views")})
    manual.config["not_in_nav"] = "guides/*"
    manual.commit("Amendment: Migration guide moved and rewritten", "2026-02-01T10:00:00+00:00")
    listed = [(r["path"], r["details"], r["withdrawn"]) for r in rows(manual.build())
              if r["chapter"] == "migrating-base-views"]
    assert listed == [("docs/guides/migrating.md", "Migration guide moved and rewritten", False),
                      ("docs/migration/base-views.md", "Migration guide moved and rewritten", True),
                      ("docs/migration/base-views.md", "Add both base views pages", True)]
    manual.write_pages({"guides/migrating.md": chapter(
        "Migrating", "## Entirely new words\n\nRewritten whole.\n", id="migrating-base-views",
        previous_paths=["docs/migration/base-views.md"])})
    manual.commit("Say where the guide was\n\nAmendment: none", "2026-02-02T10:00:00+00:00")
    listed = [(r["path"], r["details"], r["withdrawn"]) for r in rows(manual.build())
              if r["chapter"] == "migrating-base-views"]
    assert listed == [("docs/guides/migrating.md", "Migration guide moved and rewritten", False),
                      ("docs/guides/migrating.md", "Add both base views pages", False)]
    assert last_amended(manual, "guides/migrating/") == "Last amended: 01-02-2026"


def test_a_chapter_moved_into_a_board_keeps_its_regional_rows_regional(manual: Project) -> None:
    (manual.root / "boards/north/pages").mkdir(parents=True)
    manual.git("mv", "docs/migration/base-views.md", "boards/north/pages/base-views.md")
    manual.commit("Amendment: Migration guide becomes North's", "2026-02-01T10:00:00+00:00")
    manual.write("boards/north/pages/base-views.md", chapter("Migrating Base Views", "## Steps\n\nNorth's text.\n",
                                                             id="migrating-base-views"))
    manual.commit("Amendment: North's migration steps", "2026-03-01T10:00:00+00:00")
    listed = [(r["details"], r["board"], r["withdrawn"]) for r in rows(manual.build())
              if r["chapter"] == "migrating-base-views"]
    assert listed == [("North's migration steps", "north", False),
                      ("Migration guide becomes North's", "north", False),
                      ("Add both base views pages", None, False)]


def test_records_of_a_withdrawn_chapter_stay_valid_and_withdrawn(manual: Project) -> None:
    manual.write("amendments/old.yml", "- {chapter: migrating-base-views, details: Imported change, date: 2019-05-01}\n")
    manual.git("rm", "-q", "docs/migration/base-views.md")
    manual.commit("Amendment: Migration guide withdrawn", "2026-02-01T10:00:00+00:00")
    listed = [(r["title"], r["details"], r["source"], r["withdrawn"]) for r in rows(manual.build())
              if r["chapter"] == "migrating-base-views"]
    assert listed == [("Migrating Base Views", "Migration guide withdrawn", "git", True),
                      ("Migrating Base Views", "Add both base views pages", "git", True),
                      ("Migrating Base Views", "Imported change", "record", True)]


@pytest.mark.parametrize(("subject", "body", "expected"), [
    ("Merge pull request #3511 from someone/branch", "Rewrite the views chapter\n\nLonger description.",
     "Rewrite the views chapter"),
    ("Merge branch 'views' into 'main'", "Rewrite the views chapter\n\nSee merge request group/manual!12",
     "Rewrite the views chapter"),
    ("Merge branch 'views'", "", "Change the views; Tidy the views"),
    ("Merge pull request #7 from someone/branch", "Whatever the title\n\nAmendment: The trailer wins",
     "The trailer wins"),
])
def test_a_merge_without_trailers_says_what_it_brought(manual: Project, subject: str, body: str,
                                                      expected: str) -> None:
    manual.git("checkout", "-q", "-b", "views")
    manual.write_pages({"api/base-views.md": chapter("Base Views", "## Views\n\nChanged text.\n")})
    manual.commit("Change the views", "2026-02-01T10:00:00+00:00")
    manual.write_pages({"api/base-views.md": chapter("Base Views", "## Views\n\nTidied text.\n")})
    manual.commit("Tidy the views", "2026-02-02T10:00:00+00:00")
    manual.git("checkout", "-q", "main")
    message = subject + (f"\n\n{body}" if body else "")
    manual.git("merge", "-q", "--no-ff", "views", "-m", message, date="2026-02-03T10:00:00+00:00")
    newest = rows(manual.build())[0]
    assert (newest["chapter"], newest["details"], newest["date"]) == ("base-views", expected, "2026-02-03")


@pytest.mark.browser
def test_the_check_page_answers_for_the_live_chapter_not_a_withdrawn_file_of_its_name(
        manual: Project, page: Any) -> None:
    first = manual.git("rev-parse", "HEAD").strip()
    manual.write_pages({"migration/base-views.md": chapter("Migrating Base Views", "## Steps\n\nNewer text.\n")})
    rewritten = manual.commit("Amendment: Migration steps rewritten", "2026-02-01T10:00:00+00:00")
    manual.git("rm", "-q", "docs/migration/base-views.md")
    manual.commit("Amendment: Migration guide withdrawn", "2026-03-01T10:00:00+00:00")
    site = manual.build()
    for url in serve(site):
        page.goto(f"{url}check/?c=base-views&v={first[:12]}")
        page.wait_for_selector(".procedures-check[data-result]")
        assert page.get_attribute(".procedures-check", "data-result") == "current"
        page.goto(f"{url}check/?c=base-views&v={rewritten[:12]}")  # a printout of the withdrawn file
        page.wait_for_selector(".procedures-check[data-result]")
        assert page.get_attribute(".procedures-check", "data-result") == "withdrawn"
        assert ("This chapter has been withdrawn: its last change was on 01-03-2026 (Migration guide withdrawn)."
                in page.locator(".procedures-check").inner_text())
