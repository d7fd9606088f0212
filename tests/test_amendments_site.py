"""Whole builds with a real history: the log, each chapter's amendments, what changed, JSON and feeds."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from mkdocs_procedures.core.stamp import StampWording
from mkdocs_procedures.render import amendment_views
from mkdocs_procedures.render.amendment_views import relative_url
from mkdocs_procedures.render.markup import PageMarkup
from mkdocs_procedures.render.readers_copy import ReadersCopy

from .conftest import REPO_ROOT, SITE_URL, Project, chapter

ATOM = "{http://www.w3.org/2005/Atom}"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.fixture
def manual(project: Project) -> Project:
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"}, {"Amendments": "amendments.md"},
                             {"Part": ["referrals.md", "help.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "amendments_dir": "amendments"})
    project.write("boards/north/board.yml", (
        "name: North Partnership\nshort_name: North\nwebsite: https://north.example.org/\n"
        "contacts:\n  front_door:\n    label: Door\n    phone: 01632 960111\n"
        "admins:\n  - name: Lead\n    email: lead@north.example.org\n"))
    project.write_pages({
        "referrals.md": chapter("Referrals", "## When to refer\n\nRefer when you are worried.\n"),
        "help.md": chapter("Early Help", "## Early help\n\nOffer help early.\n"),
    })
    project.write("amendments/old.yml", "- {chapter: referrals, details: Imported change, date: 17-10-2019}\n")
    project.commit("Publish the manual", "2026-01-05T10:00:00+00:00")
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once when you are worried.\n")})
    project.commit("Tighten wording\n\nAmendment: Said <script>alert(1)</script> & refer at once\n",
                   "2026-03-02T11:00:00+00:00")
    project.write_pages({"help.md": chapter("Early Help", "## Early help\n\nOffer help early!\n")})
    project.commit("Punctuation\n\nAmendment: none\n", "2026-03-03T11:00:00+00:00")
    project.write("boards/north/overlays/referrals.md", "::: end\nNorth text.\n:::\n")
    project.commit("Amendment: North local referral route", "2026-04-01T09:00:00+00:00")
    return project


def test_log_entries_an_earlier_build_rendered_are_kept_and_only_new_ones_are_rendered(
        manual: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    manual.plugin_config()["helper_process"] = False  # the entries are rendered in this process
    logs = ("amendments/", "north/amendments/")
    manual.build()
    first = [manual.html(url) for url in logs]
    kept = manual.root / ".cache" / "procedures" / "log_entries.jsonl"
    assert kept.is_file()
    rendered: list[str] = []
    render = PageMarkup.render

    def counting(markup: PageMarkup, template: str, **values: object) -> str:
        if template == "log_entry.html":
            rendered.append(values["entry"].first.title)  # type: ignore[attr-defined]
        return render(markup, template, **values)

    monkeypatch.setattr(PageMarkup, "render", counting)
    manual.build()
    assert rendered == [] and [manual.html(url) for url in logs] == first

    manual.write_pages({"help.md": chapter("Early Help", "## Early help\n\nOffer help early, and <b>again</b>.\n")})
    manual.commit("Amendment: Early help offered <twice>", "2026-05-01T09:00:00+00:00")
    manual.build()
    assert set(rendered) == {"Early Help"}
    after = [manual.html(url) for url in logs]
    assert "Early help offered &lt;twice&gt;" in after[0] and "Early help offered &lt;twice&gt;" in after[1]
    kept.unlink()
    manual.build()  # every entry rendered again: the same logs
    assert [manual.html(url) for url in logs] == after


def test_the_log_lists_shared_and_board_amendments_newest_first_with_links(manual: Project) -> None:
    manual.build()
    page = soup(manual.html("amendments/"))
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
    assert rows[:2] == [
        ["Referrals North Partnership", "North local referral route What changed", "01-04-2026"],
        ["Referrals", "Said <script>alert(1)</script> & refer at once What changed", "02-03-2026"],
    ]
    # The first commit added every page and North's board.yml: one amendment, listed once with all it
    # touched (shared first); the editorial commit is not listed.
    assert len(rows) == 4
    published = page.select("tbody tr")[2]
    assert [item.get_text(" ", strip=True) for item in published.select("li")] == [
        "Contents · What changed", "Early Help · What changed", "Home · What changed", "Referrals · What changed",
        "North Partnership: board details and contacts · What changed"]
    assert rows[2][1:] == ["Publish the manual", "05-01-2026"]
    assert published["data-board"] == "north" and published["data-shared"] == "yes"
    assert published["data-chapter"] == "contents help home referrals"
    assert [link["aria-label"] for link in published.select("a.procedures-what-changed")][-1] == (
        "What changed in North Partnership: board details and contacts (North Partnership)")
    assert rows[-1] == ["Referrals", "Imported change", "17-10-2019"]
    assert page.select("tbody tr")[0]["data-board"] == "north"
    assert page.select("tbody tr")[0]["data-shared"] == "no"
    first_link = page.select_one("tbody tr td a")
    assert first_link is not None and first_link["href"] == "../north/referrals/"
    assert page.select_one("tbody tr:nth-of-type(2) td a")["href"] == "../referrals/"  # type: ignore[index]
    assert "<script>alert(1)</script>" not in manual.html("amendments/")
    assert [o["value"] for o in page.select("#procedures-amendments-board option")] == ["*", "", "north"]
    # The chapter filter: a select for scripts, and for readers without them links to each chapter's own list.
    assert [(o["value"], o.get_text()) for o in page.select("#procedures-amendments-chapter option")] == [
        ("*", "Every chapter"), ("contents", "Contents"), ("help", "Early Help"), ("home", "Home"),
        ("referrals", "Referrals")]
    assert [(a.get_text(), a["href"]) for a in page.select(".procedures-amendments__chapters a")] == [
        ("Contents", "../contents/#procedures-amendments-heading"), ("Early Help", "../help/#procedures-amendments-heading"),
        ("Referrals", "../referrals/#procedures-amendments-heading")]  # the home page lists no amendments


def test_the_logs_table_is_captioned_for_the_boards_the_manual_has(manual: Project, tmp_path: Path) -> None:
    """Shared and local amendments where there are boards; a manual with none (one adopting the plugin
    for its history alone) is not told of boards."""
    manual.build()
    assert soup(manual.html("amendments/")).select_one("caption").get_text() == (  # type: ignore[union-attr]
        "Amendments: shared, and each board's local ones")
    assert soup(manual.html("north/amendments/")).select_one("caption").get_text() == (  # type: ignore[union-attr]
        "Amendments: shared, and North Partnership's local ones")
    alone = Project(tmp_path / "alone")
    alone.root.mkdir()
    alone.write_pages({"index.md": chapter("Home", "Welcome.\n"), "contents.md": chapter("Contents", "All.\n"),
                       "referrals.md": chapter("Referrals", "## When to refer\n\nRefer when worried.\n")})
    alone.commit("Publish the manual", "2026-01-05T10:00:00+00:00")
    alone.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once.\n")})
    alone.commit("Amendment: Refer at once", "2026-03-02T11:00:00+00:00")
    alone.build()
    log = soup(alone.html("amendments/"))
    assert log.select_one("caption").get_text() == "Amendments"  # type: ignore[union-attr]
    assert "Refer at once" in log.get_text()
    assert "board" not in log.select_one(".procedures-amendments").get_text().lower()  # type: ignore[union-attr]


def test_a_boards_log_shows_shared_and_its_own(manual: Project) -> None:
    manual.build()
    rows = soup(manual.html("north/amendments/")).select("tbody tr")
    # North's own, the shared wording, the first commit (five shared pages and North's details) and the import.
    assert len(rows) == 4
    assert len(rows[2].select("li")) == 5
    href = soup(manual.html("north/amendments/")).select_one("tbody tr td a")["href"]  # type: ignore[index]
    assert urljoin("https://x/north/amendments/", str(href)) == "https://x/north/referrals/"


def test_each_chapter_shows_last_amended_and_its_own_amendments(manual: Project) -> None:
    manual.build()
    regional = soup(manual.html("referrals/"))
    assert regional.select_one(".procedures-last-amended").get_text() == "Last amended: 02-03-2026"  # type: ignore[union-attr]
    own = regional.select(".procedures-chapter-amendments tbody tr")
    assert [row.get("data-board") for row in own] == ["north", None, None, None]
    assert own[0].has_attr("hidden")  # a board's row shows only once that board is picked
    north = soup(manual.html("north/referrals/"))
    assert north.select_one(".procedures-last-amended").get_text() == "Last amended: 01-04-2026"  # type: ignore[union-attr]
    # Editorial commits do not move the date.
    assert soup(manual.html("help/")).select_one(".procedures-last-amended").get_text() == "Last amended: 05-01-2026"  # type: ignore[union-attr]


def test_what_changed_marks_insertions_and_deletions(manual: Project) -> None:
    site = manual.build()
    pages = sorted(path.name for path in (site / "changes").glob("*-referrals.html"))
    assert len(pages) == 2
    change_links = soup(manual.html("amendments/")).select("a.procedures-what-changed")
    target = change_links[1]["href"]
    page = soup(manual.html(f"amendments/{target}"))
    section = page.select_one(".procedures-change")
    assert section is not None
    assert section.select_one("h2").get_text(" ", strip=True) == "When to refer (changed)"  # type: ignore[union-attr]
    assert [ins.get_text() for ins in section.select("ins")] == ["at once"]
    assert section.select("del") == []
    assert "Said <script>alert(1)</script> & refer at once." in page.select_one(".procedures-changes__summary").get_text()  # type: ignore[union-attr]
    assert page.select_one("article .procedures-stamp") is not None


def test_amendments_json_has_the_documented_records(manual: Project) -> None:
    site = manual.build()
    records = json.loads((site / "amendments.json").read_text())
    assert set(records[0]) == {"date", "chapter", "title", "path", "details", "board", "commit", "source", "withdrawn",
                               "url", "changes"}
    assert records[0]["url"] == "north/referrals/" and records[0]["changes"].startswith("north/changes/")
    assert records[0]["board"] == "north" and records[0]["path"] == "boards/north/overlays/referrals.md"
    assert len(records[0]["commit"]) == 40 and records[0]["source"] == "git"
    assert records[-1] == {"date": "2019-10-17", "chapter": "referrals", "title": "Referrals",
                           "path": "amendments/old.yml", "details": "Imported change", "board": None,
                           "commit": None, "source": "record", "withdrawn": False, "url": "referrals/",
                           "changes": None}


def test_feeds_are_atom_for_the_region_and_each_board_with_text_escaped(manual: Project) -> None:
    site = manual.build()
    regional = ElementTree.parse(site / "feed.xml").getroot()
    assert regional.tag == f"{ATOM}feed"
    assert regional.findtext(f"{ATOM}id") == f"{SITE_URL}feed.xml"
    titles = [entry.findtext(f"{ATOM}title") for entry in regional.findall(f"{ATOM}entry")]
    assert "Referrals: Said <script>alert(1)</script> & refer at once" in titles
    assert "&lt;script&gt;" in (site / "feed.xml").read_text()
    for entry in regional.findall(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href").startswith(SITE_URL)  # type: ignore[union-attr]
    north = ElementTree.parse(site / "north" / "feed.xml").getroot()
    assert len(north.findall(f"{ATOM}entry")) == 8
    assert len(regional.findall(f"{ATOM}entry")) == 8


def test_a_feed_carries_the_newest_hundred_amendments_and_the_log_all(manual: Project) -> None:
    records = "".join(f"- {{chapter: referrals, details: Change {day}, date: 2018-{1 + day // 28:02d}-{1 + day % 28:02d}}}\n"
                      for day in range(120))
    manual.write("amendments/many.yml", records)
    site = manual.build()
    entries = ElementTree.parse(site / "feed.xml").getroot().findall(f"{ATOM}entry")
    details = [entry.findtext(f"{ATOM}summary") for entry in entries]
    assert len(entries) == 100 and "Change 119" in details and "Change 0" not in details
    dates = [entry.findtext(f"{ATOM}updated") or "" for entry in entries]
    assert dates == sorted(dates, reverse=True)
    logged = json.loads((site / "amendments.json").read_text())
    assert sum(record["details"].startswith("Change ") for record in logged) == 120
    assert "Change 0" in (site / "amendments" / "index.html").read_text()


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ("- {chapter: referals, details: X, date: 2019-10-17}\n",
         "amendments/old.yml:1: field `chapter`: no chapter has the id `referals`; did you mean `referrals`?"),
        ("- chapter: referrals\n  details: X\n  date: 31-02-2019\n",
         "amendments/old.yml:3: field `date`: expected a date written YYYY-MM-DD or dd-mm-yyyy, found `31-02-2019`"),
        ("- {chapter: referrals, details: X, date: 2019-10-17, board: south}\n",
         "amendments/old.yml:1: field `board`: no board has the id `south`"),
    ],
)
def test_bad_records_fail_the_build_naming_file_and_line(manual: Project, record: str, expected: str) -> None:
    manual.write("amendments/old.yml", record)
    assert expected in manual.build_errors()


def test_outside_git_the_build_fails_unless_history_is_switched_off(manual: Project) -> None:
    shutil.rmtree(manual.root / ".git")
    manual.use_git = False
    errors = manual.build_errors()
    assert "is not inside a git repository" in errors and "history: {enabled: false}" in errors
    manual.plugin_config()["history"] = {"enabled": False}
    manual.build()
    rows = soup(manual.html("amendments/")).select("tbody tr")
    assert [row.get_text(" ", strip=True) for row in rows] == ["Referrals Imported change 17-10-2019"]


def test_a_shallow_clone_builds_only_when_allowed_and_then_says_the_log_is_incomplete(manual: Project) -> None:
    clone = Project(manual.root.parent / "clone")
    manual.git("clone", "-q", "--depth", "1", f"file://{manual.root}", str(clone.root))
    clone.config = manual.config
    clone.use_git = False
    errors = clone.build_errors()
    assert "this is a shallow clone" in errors and "git fetch --unshallow" in errors
    clone.plugin_config()["history"] = {"allow_shallow": True}
    clone.build()
    assert "This log is incomplete" in clone.html("amendments/")
    assert "(history incomplete)" in clone.html("referrals/")


def test_the_build_is_deterministic_for_a_given_commit(manual: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795428902")
    first = manual.build()
    copy = manual.root.parent / "first-site"
    shutil.copytree(first, copy)
    assert (manual.root / ".cache" / "procedures" / "changes" / "views.jsonl").is_file()
    for cache in ("warm", "cold"):  # what an earlier build kept, and nothing, must give the same pages
        if cache == "cold":
            shutil.rmtree(manual.root / ".cache", ignore_errors=True)
        manual.build()
        files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
        assert files == sorted(path.relative_to(copy) for path in copy.rglob("*") if path.is_file())
        different = [str(path) for path in files if (first / path).read_bytes() != (copy / path).read_bytes()]
        assert different == [], cache


def test_comparisons_are_kept_in_one_file_per_amended_file_and_read_back_without_comparing(
        manual: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795428902")
    monkeypatch.setattr(amendment_views, "_COMPARISONS", {})  # none made by an earlier test in this process
    first = manual.build()
    views = sorted(path.relative_to(first) for path in first.rglob("changes/*.html"))
    kept = manual.root / ".cache" / "procedures" / "changes"
    files = [json.loads(path.read_text()) for path in (kept / "by-file").glob("*/*.json")]
    # Six amended files have views: the four pages first published, North's overlay and board.yml; the
    # referrals chapter has two (its publishing and its amendment), in one file.
    assert len(views) == 7 and sorted(len(comparisons) for comparisons in files) == [1, 1, 1, 1, 1, 2]
    before = {path: (first / path).read_text() for path in views}
    # Without the views' bodies and with nothing in memory, the views come from the kept comparisons.
    (kept / "views.jsonl").unlink()
    monkeypatch.setattr(amendment_views, "_COMPARISONS", {})

    def compare(*arguments: object) -> None:
        raise AssertionError("a kept comparison was made again")

    monkeypatch.setattr(ReadersCopy, "compare", compare)
    site = manual.build()
    assert {path: (site / path).read_text() for path in views} == before


def test_the_stamp_names_the_version_and_where_to_check_a_printout(manual: Project) -> None:
    site = manual.build()
    records = json.loads((site / "amendments.json").read_text())
    shared = next(r["commit"][:12] for r in records if r["chapter"] == "referrals" and r["board"] is None and r["commit"])
    own = next(r["commit"][:12] for r in records if r["chapter"] == "referrals" and r["board"] == "north")
    regional = soup(manual.html("referrals/")).select_one(".procedures-stamp__check")
    assert regional is not None and regional.get_text() == (
        f"Version {shared}. Is this printout still current? Check at {SITE_URL}check/?c=referrals&v={shared}")
    north = soup(manual.html("north/referrals/")).select_one(".procedures-stamp__check")
    assert north is not None and north.get_text().endswith(f"check/?c=referrals&v={own}&b=north")
    assert (site / "check" / "index.html").is_file()


def test_cite_this_version_links_to_the_newest_edition_holding_the_current_text(manual: Project) -> None:
    amended = manual.git("log", "--format=%H", "--grep=Tighten wording").strip()
    manual.git("tag", "edition/spring", amended)
    manual.build()
    regional = soup(manual.html("referrals/")).select_one(".procedures-cite a")
    assert regional is not None and regional["href"] == "../editions/spring/referrals/"
    # North's overlay changed after the edition, so North's page has no edition to point at yet.
    north = soup(manual.html("north/referrals/")).select_one(".procedures-cite")
    assert north is not None and north.select_one("a") is None
    assert north.get_text().startswith("Cite this version as: Referrals, version ")
    assert north.get_text().endswith(f"{SITE_URL}north/referrals/ (not yet in an edition).")


def test_the_home_pages_are_a_way_in_not_a_chapter(demo_site: Path) -> None:
    boards = sorted(folder.name for folder in (REPO_ROOT / "boards").iterdir() if folder.is_dir())
    for site in ["", *(f"{board}/" for board in boards)]:
        home = soup((demo_site / site / "index.html").read_text(encoding="utf-8"))
        assert not home.select(".procedures-last-amended, .procedures-chapter-amendments, .procedures-cite"), site
        chapter_page = soup((demo_site / site / "introduction/core-principles/index.html").read_text(encoding="utf-8"))
        assert chapter_page.select(".procedures-last-amended") and chapter_page.select(".procedures-chapter-amendments")


_FOLDERS = st.lists(st.sampled_from(["a", "b", "board-0", "changes"]), max_size=3)


@given(_FOLDERS, st.sampled_from(["", "page/", "x.html"]), _FOLDERS, st.sampled_from(["", "page/", "y.html"]))
def test_a_link_between_two_pages_leads_from_one_to_the_other(from_folders: list[str], from_name: str,
                                                              to_folders: list[str], to_name: str) -> None:
    from_page = "".join(f"{folder}/" for folder in from_folders) + from_name
    target = "".join(f"{folder}/" for folder in to_folders) + to_name
    link = relative_url(target, from_page)
    assert urljoin(SITE_URL + from_page, link) == SITE_URL + target
    assert not link.startswith("/")


def test_a_shared_amendment_is_listed_alike_on_every_boards_log() -> None:
    """A board's log links within the board's folder, so its rows of shared amendments are one text."""
    assert relative_url("north/responding/referrals/", "north/amendments/") == "../responding/referrals/"
    assert relative_url("changes/abc.html", "north/amendments/") == "../../changes/abc.html"
    assert relative_url("north/", "north/amendments/") == "../"


_TEXT = st.lists(st.sampled_from([*list("ab <>&\"'/\x00"), "\x00title\x00", "\x00body\x00"]), max_size=8).map("".join)


@given(st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=4))
def test_a_view_filled_in_is_the_view_the_template_renders(values: list[tuple[str, str, str]]) -> None:
    """Thousands of views are a frame rendered once, filled in: the same text, hostile values included."""
    markup = PageMarkup(StampWording())
    for title, body, home in values:
        variables = {"title": title, "body": Markup(body), "root": "../", "home": home, "stamp": Markup(""),
                     "sheet": Markup("")}
        fixed = {"site_name": "Procedures & <Co>", "language": "en"}
        assert markup.render_filled("change_page.html", fixed, **variables) == \
            markup.render("change_page.html", **fixed, **variables)


@pytest.mark.parametrize("template", ["<p>{{ word | upper }} {{ word }}</p>",
                                      "<p>{% if word %}{{ word }}{% else %}none{% endif %}</p>",
                                      "<p>{{ word if word else 'none' }}</p>",
                                      '{% extends "base.html" %}{% block main %}{{ word }}{% endblock %}'])
def test_a_template_that_does_more_with_a_value_than_write_it_is_rendered_each_time(template: str) -> None:
    markup = PageMarkup(StampWording())
    markup.environment.loader = jinja2.DictLoader({
        "test.html": template, "base.html": "<p>{% if word == 'quiet' %}hush{% endif %}{% block main %}{% endblock %}</p>"})
    words = ["quiet", "", "calm"]
    assert [markup.render_filled("test.html", {}, word=word) for word in words] == \
        [markup.render("test.html", word=word) for word in words]
    assert markup.frames == {("test.html", (), ("word",)): ""}
