"""The `procedures` command-line tools, run through their entry point on fixture manuals."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from procedures_tools.cli import main
from procedures_tools.same_build import compare_sites

from .conftest import BOARD, REPO_ROOT, Project, chapter, serving


def run(capsys: pytest.CaptureFixture[str], manual: Project, *arguments: str) -> tuple[int, str, str]:
    status = main(["--root", str(manual.root), *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_check_reports_nothing_on_a_good_manual_and_on_the_demo(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, manual, "check") == (0, "", "")
    status, out, _ = run(capsys, Project(REPO_ROOT), "check")
    assert (status, out) == (0, "")


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n", status="draft")),
         "docs/specific/online.md:3: field `status`: expected `current` or `under-review`, found `draft`"),
        (("docs/specific/other.md", chapter("Other", id="referrals")),
         "docs/specific/other.md:3: field `id`: `referrals` is already the id of docs/responding/referrals.md"),
        (("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n\nSee [x](../responding/referal.md).\n")),
         "docs/specific/online.md: Doc file 'specific/online.md' contains a link '../responding/referal.md', but the "
         "target 'responding/referal.md' is not found among documentation files."),
        (("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n\n[x](../responding/referrals.md#when-to-refr)\n")),
         "docs/specific/online.md: Doc file 'specific/online.md' contains a link "
         "'../responding/referrals.md#when-to-refr', but the doc 'responding/referrals.md' does not contain an anchor "
         "'#when-to-refr'."),
        (("boards/north/pages/contacts.md", chapter("North Contacts", "See [r](responding/referals.md).\n")),
         "boards/north/pages/contacts.md: Doc file 'north/contacts.md' contains a link 'responding/referals.md', but "
         "the target 'north/responding/referals.md' is not found among documentation files."),
        (("boards/north/overlays/referrals.md", "::: end-of #when-to-refer\nSee [o](../specific/onlin.md).\n:::\n"),
         "boards/north/overlays/referrals.md:2: Doc file 'responding/referrals.md' contains a link "
         "'../specific/onlin.md', but the target 'specific/onlin.md' is not found among documentation files."),
        (("boards/north/overlays/referrals.md", "\n::: after #when-to-reefer\nText.\n:::\n"),
         "boards/north/overlays/referrals.md:2: anchor `#when-to-reefer` not found in docs/responding/referrals.md"),
        (("boards/north/board.yml", BOARD.replace("short_name: North\n", "")),
         "boards/north/board.yml:1: board `north`: field `short_name`: is required"),
        (("boards/north/pages/contacts.md", chapter("North Contacts", "Mail {{ board.contacts.front_door.email }}.\n")),
         "boards/north/pages/contacts.md:5: board value `contacts.front_door.email` is not defined"),
        (("amendments/old.yml", "- {chapter: referrals, details: Old change, date: 2019-13-02}\n"),
         "amendments/old.yml:1: field `date`: expected a date written YYYY-MM-DD or dd-mm-yyyy, found `2019-13-02`"),
    ],
)
def test_check_reports_each_mistake_at_its_file_and_line(
    manual: Project, capsys: pytest.CaptureFixture[str], mistake: tuple[str, str], expected: str
) -> None:
    manual.write(*mistake)
    status, out, _ = run(capsys, manual, "check")
    assert status == 1
    assert any(line.startswith(expected) for line in out.splitlines()), out
    status, out, _ = run(capsys, manual, "check", "--format", "json")
    problems = json.loads(out)
    shown = [p["path"] + (f":{p['line']}" if p["line"] else "") + ": " + p["message"] for p in problems]
    assert any(line.startswith(expected) for line in shown), shown


def test_a_nav_entry_for_a_missing_page_is_reported(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    manual.config["nav"].append({"Extra": ["specific/missing.md"]})
    manual.write("mkdocs.yml", yaml.safe_dump(manual.config, sort_keys=False))
    status, out, _ = run(capsys, manual, "check")
    assert status == 1 and ("mkdocs.yml: A reference to 'specific/missing.md' is included in the 'nav' "
                            "configuration, which is not found in the documentation files.") in out


def test_new_chapter_writes_a_valid_chapter_and_adds_it_to_its_part(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    manual.write("mkdocs.yml", yaml.safe_dump(manual.config, sort_keys=False))
    status, out, _ = run(capsys, manual, "new-chapter", "Specific circumstances", "Bullying and Harassment",
                         "--today", "2026-11-23")
    assert status == 0 and "created docs/specific/bullying-and-harassment.md" in out
    text = (manual.root / "docs/specific/bullying-and-harassment.md").read_text()
    assert "title: Bullying and Harassment\nid: bullying-and-harassment\nstatus: current\n" in text
    assert "next_review: 2027-11-23" in text
    assert "- specific/bullying-and-harassment.md" in (manual.root / "mkdocs.yml").read_text()
    assert run(capsys, manual, "check")[0] == 0
    manual.config = yaml.safe_load((manual.root / "mkdocs.yml").read_text())  # as the tool left it
    manual.commit("Add chapter")
    manual.build()
    assert "Bullying and Harassment" in manual.html("contents/")
    status, _, err = run(capsys, manual, "new-chapter", "Specific circumstances", "Bullying and Harassment")
    assert status == 1 and "already exists" in err
    status, _, err = run(capsys, manual, "new-chapter", "Specific circumstance", "X")
    assert status == 1 and "no part `Specific circumstance` in the nav; did you mean `Specific circumstances`?" in err


def test_new_board_creates_a_board_that_passes_check_and_never_overwrites(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, manual, "new-board", "south", "South Safeguarding Partnership")
    assert status == 0 and "created boards/south/board.yml" in out
    assert run(capsys, manual, "check")[0] == 0
    status, _, err = run(capsys, manual, "new-board", "south", "South Safeguarding Partnership")
    assert status == 1 and "already exists" in err
    assert run(capsys, manual, "new-board", "responding", "X")[0] == 1


def test_amend_commits_with_the_trailer_and_refuses_when_check_fails(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    manual.write("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n\nNew text.\n"))
    manual.git("add", "docs/specific/online.md")
    status, out, _ = run(capsys, manual, "amend", "--details", "Explained live streaming", "-m", "Live streaming")
    assert status == 0, out
    assert "docs/specific/online.md: Online Safety (shared)" in out
    assert manual.git("log", "-1", "--format=%B").strip() == "Live streaming\n\nAmendment: Explained live streaming"
    manual.write("boards/north/overlays/referrals.md", "::: end-of #nowhere\nX\n:::\n")
    manual.git("add", "-A")
    status, out, err = run(capsys, manual, "amend", "--editorial")
    assert status == 1 and "not committed" in err
    assert "boards/north/overlays/referrals.md: Referrals (board north)" in out
    assert manual.git("log", "-1", "--format=%s").strip() == "Live streaming"


def test_review_report_lists_overdue_and_due_chapters_by_owner(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, manual, "review-report", "--today", "2026-11-23", "--within", "10", "--format", "csv")
    assert status == 0
    assert out.splitlines() == [
        "Owner,Chapter,Board,Next review,State,File",
        "Group A,Referrals,,01-12-2026,due in 8 days,docs/responding/referrals.md",
        "Group B,Online Safety,,01-10-2026,overdue by 53 days,docs/specific/online.md",
    ]
    status, out, _ = run(capsys, manual, "review-report", "--today", "2026-11-23", "--within", "5")
    assert "Online Safety" in out and "Referrals" not in out and out.splitlines()[1].startswith("----")


def test_owners_writes_codeowners_and_check_fails_when_admins_change(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, manual, "owners", "--check")[0] == 1
    assert run(capsys, manual, "owners")[0] == 0
    codeowners = (manual.root / "CODEOWNERS").read_text().splitlines()
    assert "/docs/ @example/procedures" in codeowners
    assert codeowners[-1] == "/boards/north/ @example/north"
    assert run(capsys, manual, "owners", "--check")[0] == 0
    manual.write("boards/north/board.yml", BOARD.replace('"@example/north"', '"@example/north-new"'))
    status, _, err = run(capsys, manual, "owners", "--check")
    assert status == 1 and "CODEOWNERS is out of date" in err


def test_drift_lists_blocks_whose_regional_section_changed_later(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, manual, "drift")[0] == 0
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nRefer sooner.\n",
                                                         owner="Group A", next_review=dt.date(2026, 12, 1)))
    manual.commit("Referrals\n\nAmendment: Refer sooner", "2026-02-10T10:00:00+00:00")
    status, out, _ = run(capsys, manual, "drift", "--board", "north")
    assert status == 1
    assert out.strip() == (
        "boards/north/overlays/referrals.md:1: board `north`: section #when-to-refer of docs/responding/referrals.md "
        "changed on 10-02-2026 (Refer sooner) after this block was last changed on 05-01-2026; re-check the local text"
    )
    manual.write("boards/north/overlays/referrals.md", "::: end-of #when-to-refer\nNorth text, re-checked.\n:::\n")
    manual.commit("Amendment: North re-checked", "2026-02-11T10:00:00+00:00")
    assert run(capsys, manual, "drift")[0] == 0


def test_the_console_script_has_help_for_every_command() -> None:
    for command in ("check", "new-chapter", "new-board", "amend", "review-report", "owners", "drift", "as-at", "editions"):
        done = subprocess.run([str(Path(REPO_ROOT, ".venv/bin/procedures")), command, "--help"],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0 and "usage: procedures" in done.stdout
    done = subprocess.run([str(Path(REPO_ROOT, ".venv/bin/procedures")), "nonsense"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 2


def test_as_at_builds_the_manual_as_it_stood_at_the_end_of_a_day(
    manual: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = manual.git("rev-parse", "HEAD").strip()
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nRefer at once.\n",
                                                         owner="Group A", next_review=dt.date(2026, 12, 1)))
    manual.commit("Amendment: Refer at once", "2026-03-02T18:00:00+00:00")
    out = tmp_path / "panel"
    status, printed, err = run(capsys, manual, "as-at", "2026-03-01", "--output", str(out), "--board", "north",
                               "--today", "2026-11-23")
    assert status == 0, err
    assert f"(version {first[:12]}, 05-01-2026 10:00)" in printed and f"open {out}/north/index.html" in printed
    old = (out / "responding" / "referrals" / "index.html").read_text()
    assert "Refer at once." not in old
    assert f"This is the manual as it stood at the end of 01-03-2026</strong> (version {first[:12]})" in old
    assert "This is the manual as it stood at the end of 01-03-2026" in (out / "north" / "responding" / "referrals" / "index.html").read_text()
    status, _, _ = run(capsys, manual, "as-at", "2026-03-02", "--output", str(out), "--today", "2026-11-23")
    assert status == 0 and "Refer at once." in (out / "responding" / "referrals" / "index.html").read_text()
    assert "worktree" not in manual.git("worktree", "list").split("\n", 1)[-1]  # the temporary worktree is gone


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2025-12-31", "2025-12-31 is before the manual's first version (2026-01-05); choose a later date"),
        ("2026-11-24", "2026-11-24 is in the future; the manual can only be shown as it stood up to today (2026-11-23)"),
        ("01/03/2026", "`01/03/2026` is not a date written YYYY-MM-DD (like 2019-03-01)"),
    ],
)
def test_as_at_refuses_dates_it_cannot_show(manual: Project, capsys: pytest.CaptureFixture[str], date: str,
                                            expected: str) -> None:
    status, _, err = run(capsys, manual, "as-at", date, "--today", "2026-11-23")
    assert status == 1 and expected in err


def test_as_at_refuses_an_unknown_board(manual: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, manual, "as-at", "2026-02-01", "--board", "east", "--output", str(tmp_path / "x"),
                         "--today", "2026-11-23")
    assert status == 1 and "no board `east` in the manual as it stood in version" in err


def test_editions_are_built_once_with_a_banner_linking_each_page_to_its_current_version(
    manual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    first = manual.git("rev-parse", "HEAD").strip()
    manual.git("tag", "edition/launch", first)
    manual.git("rm", "-q", "docs/specific/online.md")
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nText.\n"))
    manual.config["nav"] = [entry for entry in manual.config["nav"] if "Specific circumstances" not in entry]
    manual.commit("Amendment: Withdrew online safety", "2026-02-01T10:00:00+00:00")
    manual.write("editions.yml", f"second: {manual.git('rev-parse', 'HEAD').strip()}\n")
    manual.commit("Amendment: none", "2026-02-02T10:00:00+00:00")
    site = manual.build()
    status, out, err = run(capsys, manual, "editions", "--site", str(site), "--no-pdf")
    assert status == 0, err
    assert "edition launch" in out and "edition second" in out
    page = (site / "editions" / "launch" / "responding" / "referrals" / "index.html").read_text()
    assert "This is the edition of 05-01-2026.</strong> <a href=\"../../../../responding/referrals/\">" in page
    withdrawn = (site / "editions" / "launch" / "specific" / "online" / "index.html").read_text()
    assert "This page has since been withdrawn from the manual." in withdrawn
    board_copy = (site / "editions" / "launch" / "north" / "responding" / "referrals" / "index.html").read_text()
    assert '<a href="../../../../../north/responding/referrals/">The current version' in board_copy
    # Every edition: the board's own Editions page, and (by script) this page in each other edition.
    assert '<a href="../../../../../north/editions/">Every edition</a>' in board_copy
    assert 'data-editions-root="../../../../" data-edition="launch" data-page="north/responding/referrals/"' in board_copy
    listing = (site / "editions" / "index.html").read_text()  # the Editions page, written by the build
    assert listing.index("Edition second") < listing.index("Edition launch")
    assert "Withdrew online safety" in listing.split("Edition launch")[0]
    versions = json.loads((site / "editions" / "versions.json").read_text())
    assert [version["version"] for version in versions] == ["second", "launch"]
    assert '"version": {"provider": "mike"}' in page
    # Built once: a later change to the manual does not alter a built edition.
    cached = manual.root / ".cache" / "procedures" / "editions" / f"launch-{first}" / "index.html"
    before = cached.stat().st_mtime_ns
    assert run(capsys, manual, "editions", "--site", str(site), "--no-pdf")[0] == 0
    assert cached.stat().st_mtime_ns == before


@pytest.mark.browser
def test_a_boards_edition_leads_to_the_boards_copy_in_every_other_edition(
    manual: Project, capsys: pytest.CaptureFixture[str], page: Any
) -> None:
    manual.git("tag", "edition/launch", manual.git("rev-parse", "HEAD").strip())
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nRefer at once.\n"))
    manual.commit("Amendment: Refer at once", "2026-02-01T10:00:00+00:00")
    manual.git("tag", "edition/spring", manual.git("rev-parse", "HEAD").strip())
    site = manual.build()
    status, _, err = run(capsys, manual, "editions", "--site", str(site), "--no-pdf")
    assert status == 0, err
    with serving(site) as root:
        page.goto(root + "editions/launch/north/responding/referrals/")
        others = page.locator(".procedures-editions-list a")
        others.first.wait_for()
        assert others.all_inner_texts() == ["Edition spring"]
        others.first.click()
        page.wait_for_url(root + "editions/spring/north/responding/referrals/")
        assert "Refer at once." in page.locator("article").inner_text()
        assert page.locator(".procedures-editions-list a").all_inner_texts() == ["Edition launch"]
        page.get_by_role("link", name="Every edition").click()
        page.wait_for_url(root + "north/editions/")
        assert page.locator("article h1").inner_text() == "Editions"


def content(file: Path) -> bytes:
    """What a built file says: a page's article without the banner naming the earlier version (an edition
    also has Material's version selector around it); any other file whole."""
    data = file.read_bytes()
    if file.suffix != ".html":
        return data
    [article] = re.findall(rb"<article.*?</article>", data, flags=re.DOTALL)
    return re.sub(rb"<!--procedures:notice-->.*?<!--/procedures:notice-->", b"", article, flags=re.DOTALL)


def test_as_at_reproduces_an_edition_byte_for_byte_but_for_the_banner(
    manual: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # both builds stamp the same "last published" time
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nRefer at once.\n"))
    edition = manual.commit("Amendment: Refer at once", "2026-03-02T18:00:00+00:00")
    manual.git("tag", "edition/march", edition)
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nRefer today.\n"))
    manual.commit("Amendment: Refer today", "2026-03-03T09:00:00+00:00")
    site = manual.build()
    assert run(capsys, manual, "editions", "--site", str(site), "--no-pdf")[0] == 0
    panel = tmp_path / "panel"
    assert run(capsys, manual, "as-at", "2026-03-02", "--output", str(panel), "--today", "2026-11-23")[0] == 0
    built = site / "editions" / "march"
    files = sorted(path.relative_to(built) for path in built.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(panel) for path in panel.rglob("*") if path.is_file())
    assert len(files) > 40 and Path("north/responding/referrals/index.html") in files
    different = [str(name) for name in files if content(built / name) != content(panel / name)]
    assert different == []
    page = (panel / "responding" / "referrals" / "index.html").read_text()
    assert "Refer at once." in page and "This is the manual as it stood at the end of 02-03-2026" in page
    assert "This is the edition of 02-03-2026" in (built / "responding" / "referrals" / "index.html").read_text()


def test_mark_edition_adds_a_checked_line_to_editions_yml(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    first = manual.git("rev-parse", "HEAD").strip()
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nRefer today.\n"))
    manual.commit("Amendment: Refer today", "2026-03-03T09:00:00+00:00")
    status, out, err = run(capsys, manual, "mark-edition", "launch", "--version", first)
    assert status == 0, err
    assert f"marked edition launch: version {first[:12]} of 05-01-2026, in editions.yml" in out
    assert yaml.safe_load((manual.root / "editions.yml").read_text()) == {"launch": first}
    manual.commit("Mark edition launch\n\nAmendment: none", "2026-03-03T10:00:00+00:00")
    status, _, err = run(capsys, manual, "mark-edition", "launch")
    assert status == 1 and "edition `launch` is already marked by editions.yml:2: edition `launch`" in err
    status, _, err = run(capsys, manual, "mark-edition", "second", "--version", "no-such-thing")
    assert status == 1 and "`no-such-thing` is not a commit of this repository" in err
    manual.git("checkout", "-q", "-b", "draft")
    draft = manual.commit("Draft", "2026-03-04T10:00:00+00:00")
    manual.git("checkout", "-q", "main")
    status, _, err = run(capsys, manual, "mark-edition", "draft", "--version", draft)
    assert status == 1 and f"commit {draft[:12]} is not on the published branch" in err
    status, _, err = run(capsys, manual, "mark-edition", "bad/name")
    assert status == 1 and "`bad/name` cannot name an edition" in err
    assert yaml.safe_load((manual.root / "editions.yml").read_text()) == {"launch": first}, "refused marks are undone"


def test_an_edition_must_be_published_and_named_once(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    manual.git("checkout", "-q", "-b", "draft")
    draft = manual.commit("Draft", "2026-02-01T10:00:00+00:00")
    manual.git("checkout", "-q", "main")
    manual.git("tag", "edition/draft", draft)
    status, _, err = run(capsys, manual, "editions", "--site", str(manual.root / "site"), "--no-pdf")
    assert status == 1 and "tag edition/draft: commit" in err and "is not on the published branch" in err
    manual.git("tag", "-d", "edition/draft")
    manual.git("tag", "edition/launch", "HEAD")
    manual.write("editions.yml", "launch: HEAD\n")
    status, _, err = run(capsys, manual, "editions", "--site", str(manual.root / "site"), "--no-pdf")
    assert status == 1 and "editions.yml:1: edition `launch`: the name is already used by tag edition/launch" in err


def test_an_edition_that_does_not_build_is_named(manual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    manual.write("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n", status="draft"))
    broken = manual.commit("Amendment: Broken front matter", "2026-02-01T10:00:00+00:00")
    manual.git("tag", "edition/broken", broken)
    manual.write("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n"))
    manual.commit("Amendment: none", "2026-02-02T10:00:00+00:00")
    site = manual.build()
    status, _, err = run(capsys, manual, "editions", "--site", str(site), "--no-pdf")
    assert status == 1
    assert "tag edition/broken does not build" in err
    assert "field `status`: expected `current` or `under-review`, found `draft`" in err


def test_same_build_names_every_file_that_differs_or_is_missing(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for site in (before, after):
        (site / "a").mkdir(parents=True)
        (site / "a" / "index.html").write_text("<p>same</p>\n")
        (site / "print.pdf").write_text(f"printed at {site.name}")
    (before / "old.html").write_text("gone")
    (after / "new.html").write_text("added")
    (after / "a" / "index.html").write_text("<p>changed</p>\n")
    differences = compare_sites(before, after)
    assert differences[:2] == ["only before: old.html", "only after: new.html"]
    assert differences[2].startswith("differs: a/index.html")
    assert "-<p>same</p>" in differences[2] and "+<p>changed</p>" in differences[2]
    assert len(differences) == 3  # the PDFs differ, but carry the time they were printed
    assert compare_sites(before, before) == []


def test_the_demos_editions_build_from_their_own_trees_with_todays_code(tmp_path: Path) -> None:
    """Editions are published versions: a rule added later must not stop their build (a fresh clone has
    no kept copy of them)."""
    clone = tmp_path / "demo"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    done = subprocess.run([sys.executable, "-m", "procedures_tools.cli", "editions", "--site", str(tmp_path / "site"),
                           "--no-pdf"], cwd=clone, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    editions = sorted(path.name for path in (tmp_path / "site" / "editions").iterdir() if path.is_dir())
    assert len(editions) >= 2 and all((tmp_path / "site/editions" / name / "index.html").is_file() for name in editions)


def test_the_benchmark_reports_a_build_s_own_peak_memory_however_large_the_benchmark_grew() -> None:
    from procedures_tools.bench import Launcher

    launcher = Launcher()
    grown = bytearray(200 * 1024 * 1024)  # the benchmark, after writing manuals and reading their histories
    grown[::4096] = b"x" * len(grown[::4096])  # resident, not only reserved
    try:
        _, code, small, _ = launcher.run([sys.executable, "-c", "pass"], dict(os.environ), Path.cwd())
        allocate = "b = bytearray(96 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
        _, _, large, _ = launcher.run([sys.executable, "-c", allocate], dict(os.environ), Path.cwd())
    finally:
        del grown
        assert launcher.process is not None
        launcher.process.stdin.close()  # type: ignore[union-attr]
        launcher.process.wait()
    assert code == 0
    assert small < 64 * 1024 and large > 96 * 1024  # KiB: the child's own, not the benchmark's 200 MiB
