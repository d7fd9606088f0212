"""Staying informed: "New" and "Updated" on each site's contents, the next planned update, per-chapter feeds
and the reader's "changed since you last read it" banner, built from real histories."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from mkdocs_procedures.core.schedule import NextUpdate, RecentMark, ScheduleError, recent_mark

from .conftest import SITE_URL, Project, browsing, chapter

BUILT_ON = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
SOUTH = ("name: South Partnership\nshort_name: South\nwebsite: https://south.example.org/\n"
         "contacts:\n  front_door:\n    label: Door\n    phone: 01632 960222\n"
         "admins:\n  - name: Lead\n    email: lead@south.example.org\n")
NORTH = SOUTH.replace("South", "North").replace("south", "north").replace("960222", "960111")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("amended_on", "added", "expected"),
    [
        ([dt.date(2026, 6, 20)], dt.date(2026, 6, 20), (RecentMark.NEW, dt.date(2026, 6, 20))),
        ([dt.date(2026, 6, 25), dt.date(2026, 1, 1)], dt.date(2026, 1, 1), (RecentMark.UPDATED, dt.date(2026, 6, 25))),
        ([dt.date(2026, 5, 31)], None, None),  # 30 days before: outside the window
        ([dt.date(2026, 6, 1)], None, (RecentMark.UPDATED, dt.date(2026, 6, 1))),
        ([dt.date(2026, 7, 2)], None, None),  # dated after the build: not news yet
        ([], None, None),
    ],
)
def test_a_chapter_is_new_or_updated_within_the_window(amended_on: list[dt.date], added: dt.date | None,
                                                      expected: tuple[RecentMark, dt.date] | None) -> None:
    assert recent_mark(amended_on, added, dt.date(2026, 6, 30), 30) == expected
    assert recent_mark(amended_on, added, dt.date(2026, 6, 30), 0) is None


@pytest.mark.parametrize(
    ("value", "text", "last_day"),
    [("2027-01", "January 2027", dt.date(2027, 1, 31)), ("2027-02", "February 2027", dt.date(2027, 2, 28)),
     ("2027-01-15", "15 January 2027", dt.date(2027, 1, 15)), (dt.date(2027, 3, 4), "4 March 2027", dt.date(2027, 3, 4))],
)
def test_the_next_update_is_a_month_or_a_day(value: object, text: str, last_day: dt.date) -> None:
    planned = NextUpdate.parse(value)
    assert (planned.text(), planned.last_day) == (text, last_day)
    assert not planned.has_passed(last_day) and planned.has_passed(last_day + dt.timedelta(days=1))


@pytest.mark.parametrize("value", ["soon", "2027-13", "2027-02-30", "27-01-2027", ""])
def test_a_next_update_that_is_no_date_is_refused(value: str) -> None:
    with pytest.raises(ScheduleError, match="expected a month like `2027-01` or a day like `2027-01-15`"):
        NextUpdate.parse(value)


@pytest.fixture
def manual(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Chapters added and amended at known days before the build (30 June 2026), for two boards."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT_ON.timestamp())))
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"}, {"Amendments": "amendments.md"},
                             {"Part": ["old.md", "amended.md", "overlaid.md", "tidied.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "next_update": "2026-09"})
    project.write("boards/north/board.yml", NORTH)
    project.write("boards/south/board.yml", SOUTH)
    project.write_pages({f"{name}.md": chapter(name.title(), "## Section\n\nText.\n")
                         for name in ("old", "amended", "overlaid", "tidied")})
    project.commit("Publish the manual", "2026-01-05T10:00:00+00:00")
    project.write_pages({"amended.md": chapter("Amended", "## Section\n\nText, changed.\n")})
    project.commit("Amendment: Changed the amended chapter", "2026-06-20T10:00:00+00:00")
    project.write("boards/north/overlays/overlaid.md", "::: end\nNorth's own step.\n:::\n")
    project.commit("Amendment: North's own step", "2026-06-25T10:00:00+00:00")
    project.write_pages({"tidied.md": chapter("Tidied", "## Section\n\nText. \n")})
    project.commit("Tidy spaces\n\nAmendment: none\n", "2026-06-26T10:00:00+00:00")
    project.write_pages({"fresh.md": chapter("Fresh", "## Section\n\nNew text.\n")})
    project.config["nav"][3]["Part"].append("fresh.md")
    project.commit("Amendment: Added the fresh chapter", "2026-06-28T10:00:00+00:00")
    project.write("boards/south/pages/south-only.md", chapter("South Only", "South's page.\n"))
    project.commit("Amendment: South's own page", "2026-06-29T10:00:00+00:00")
    return project


def marks(html: str) -> dict[str, str]:
    """Each contents entry's mark as a reader reads it: title → "New 28-06-2026" (or nothing)."""
    found = {}
    for item in soup(html).select("article li"):
        link = item.select_one("a")
        mark = item.select_one(".procedures-recent")
        if link is not None:
            found[link.get_text()] = mark.get_text(" ", strip=True) if mark else ""
    return found


def test_each_sites_contents_marks_what_is_new_or_updated_for_that_site(manual: Project) -> None:
    manual.build()
    shared = {"Old": "", "Amended": "Updated 20-06-2026", "Overlaid": "", "Tidied": "", "Fresh": "New 28-06-2026"}
    assert marks(manual.html("contents/")) == shared
    # North's overlay updates North's copy only; South's page is new on South's site only.
    assert marks(manual.html("north/contents/")) == {**shared, "Overlaid": "Updated 25-06-2026"}
    assert marks(manual.html("south/contents/")) == {**shared, "South Only": "New 29-06-2026"}


def test_marks_can_be_switched_off(manual: Project) -> None:
    manual.plugin_config()["recent_days"] = 0
    manual.build()
    assert set(marks(manual.html("north/contents/")).values()) == {""}


def test_the_next_update_shows_on_every_sites_home_and_amendments_pages(manual: Project) -> None:
    manual.build()
    for page in ("", "amendments/", "north/", "north/amendments/", "south/", "south/amendments/"):
        note = soup(manual.html(page)).select_one("article .procedures-next-update")
        assert note is not None, page
        assert note.get_text(" ", strip=True) == "Next planned update: September 2026 ."
    assert soup(manual.html("old/")).select_one(".procedures-next-update") is None


def test_a_next_update_that_has_passed_is_not_shown_and_fails_a_strict_build(manual: Project) -> None:
    manual.plugin_config()["next_update"] = "2026-05-31"
    errors = manual.build_errors()
    assert ("mkdocs.yml: plugin `procedures`, option `next_update`: 31 May 2026 has passed; expected the next "
            "planned update") in errors
    manual.build(strict=False)
    assert soup(manual.html("")).select_one(".procedures-next-update") is None


def test_a_next_update_that_is_no_date_stops_the_build(manual: Project) -> None:
    manual.plugin_config()["next_update"] = "spring"
    errors = manual.build_errors()
    assert "next_update" in errors and "expected a month like `2027-01` or a day like `2027-01-15`, found `spring`" in errors


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(path: Path) -> list[str]:
    root = ElementTree.fromstring(path.read_bytes())
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]


def test_each_chapter_has_a_feed_on_each_site_with_that_sites_amendments(manual: Project) -> None:
    site = manual.build()
    assert feed_titles(site / "feeds" / "overlaid.xml") == ["Overlaid: Publish the manual"]
    assert feed_titles(site / "north" / "feeds" / "overlaid.xml") == [
        "Overlaid: North's own step", "Overlaid: Publish the manual"]
    assert feed_titles(site / "south" / "feeds" / "overlaid.xml") == ["Overlaid: Publish the manual"]
    assert feed_titles(site / "south" / "feeds" / "south-only.xml") == ["South Only: South's own page"]
    assert not (site / "feeds" / "south-only.xml").exists() and not (site / "north" / "feeds" / "south-only.xml").exists()
    root = ElementTree.fromstring((site / "north" / "feeds" / "overlaid.xml").read_bytes())
    assert root.findtext(f"{ATOM}id") == SITE_URL + "north/feeds/overlaid.xml"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == (  # type: ignore[union-attr]
        SITE_URL + "north/overlaid/#procedures-amendments-heading")
    # Each page links its own site's feed of the chapter: the regional page, North's copy, South's own page.
    for page, feed in [("overlaid/", "feeds/overlaid.xml"), ("north/overlaid/", "north/feeds/overlaid.xml"),
                       ("south/south-only/", "south/feeds/south-only.xml")]:
        link = soup(manual.html(page)).select_one("article .procedures-chapter-feed a")
        assert link is not None, page
        assert urljoin(SITE_URL + page, str(link["href"])) == SITE_URL + feed
    assert soup(manual.html("")).select_one(".procedures-chapter-feed") is None  # the home page is no chapter
    # On the regional page, a reader who picks North is offered North's feed of the chapter (swapped in).
    north = soup(manual.html("overlaid/")).select_one('article .procedures-chapter-feed[data-board="north"] a')
    assert north is not None and north.find_parent("p").has_attr("hidden")  # type: ignore[union-attr]
    assert urljoin(SITE_URL + "overlaid/", str(north["href"])) == SITE_URL + "north/feeds/overlaid.xml"


@pytest.mark.browser
def test_a_chapter_says_it_was_amended_since_the_reader_last_read_it(manual: Project, browser: Any) -> None:
    site = manual.build()
    with browsing(browser, site) as (page, root):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        banner = page.locator("article .procedures-since")
        for url in ("amended/", "north/amended/"):
            page.goto(root + url)  # the first visit: this version is the one read
            assert banner.is_hidden()
        manual.write_pages({"amended.md": chapter("Amended", "## Section\n\nText, changed again.\n")})
        manual.commit("Amendment: Changed it again", "2026-06-29T15:00:00+00:00")
        manual.build()
        for url in ("amended/", "north/amended/"):
            page.goto(root + url)
            banner.locator("li").first.wait_for()  # the page's script fills the box once the page has loaded
            assert banner.is_visible(), url
            assert banner.locator("li").all_inner_texts() == ["29-06-2026: Changed it again What changed"]
            link = banner.get_by_role("link", name="What changed")
            href = urljoin(root + url, str(link.get_attribute("href")))
            # A shared amendment's view is the regional site's, whichever site the reader is on.
            assert href.startswith(f"{root}changes/") and href.endswith("-amended.html")
            assert banner.get_by_role("link", name="Privacy and cookies").get_attribute("href") is not None
            banner.get_by_role("button", name="Mark as read").click()
            assert banner.is_hidden()
            page.reload()
            assert banner.is_hidden()
        assert errors == []
        # The privacy note says what is kept, and forgets it on request.
        page.goto(root + "amended/")
        page.get_by_role("contentinfo").get_by_role("link", name="Privacy and cookies").click()
        page.wait_for_url(root + "privacy/")
        assert "never sent" in page.locator("article").inner_text()
        page.get_by_role("button", name="Forget what this site remembers on this device").click()
        assert page.locator(".procedures-forget__status").inner_text() == "Forgotten."
        assert page.evaluate("window.localStorage.length") == 0


@pytest.mark.browser
def test_without_scripts_there_is_no_banner_and_no_error(manual: Project, browser: Any) -> None:
    site = manual.build()
    with browsing(browser, site, java_script_enabled=False) as (page, root):
        page.goto(root + "north/amended/")
        assert page.locator("article .procedures-since").count() == 1
        assert page.locator("article .procedures-since").is_hidden()


@pytest.mark.browser
def test_a_boards_own_amendment_is_news_for_that_boards_readers_only(manual: Project, browser: Any) -> None:
    site = manual.build()
    with browsing(browser, site) as (page, root):
        banner = page.locator("article .procedures-since")
        page.goto(root + "overlaid/")
        page.goto(root + "north/overlaid/")
        manual.write("boards/north/overlays/overlaid.md", "::: end\nNorth's own step, now two steps.\n:::\n")
        manual.commit("Amendment: North's step changed", "2026-06-29T16:00:00+00:00")
        manual.build()
        page.goto(root + "overlaid/")
        assert banner.is_hidden()  # the regional text did not change
        for url in ("overlaid/?board=north", "north/overlaid/"):  # North's readers, on either site
            page.goto(root + url)
            try:
                banner.locator("li").first.wait_for()  # the page's script fills the box once the page has loaded
            except Exception as error:  # what the page carried, to tell a stale page from a script that did not run
                raise AssertionError(f"{url}: no amendments listed; the page's history: "
                                     f"{banner.get_attribute('data-history')}; its read state: "
                                     f"{page.evaluate('JSON.stringify(window.localStorage)')}") from error
            assert banner.locator("li").all_inner_texts() == ["29-06-2026: North's step changed What changed locally"], url
            href = urljoin(page.url, str(banner.get_by_role("link", name="What changed locally").get_attribute("href")))
            assert href.startswith(root + "north/changes/") and href.endswith("-overlaid-north.html")
        banner.get_by_role("button", name="Mark as read").click()
        page.goto(root + "overlaid/?board=north")
        assert banner.is_hidden()


def test_what_a_commit_says_stays_text_in_the_pages_reading_history(manual: Project) -> None:
    hostile = "It's <b>\"bold\"</b> '><img src=x onerror=alert(1)> </script>"
    manual.write_pages({"old.md": chapter("Old", "## Section\n\nText, changed.\n")})
    manual.commit(f"Amendment: {hostile}", "2026-06-29T10:00:00+00:00")
    manual.build()
    page = manual.html("old/")
    assert "<img src=x" not in page and "onerror=alert(1)>" not in page
    box = soup(page).select_one("article .procedures-since")
    assert box is not None
    assert json.loads(str(box["data-history"]))[0]["details"] == hostile


def test_a_manual_with_its_own_privacy_note_keeps_it(manual: Project) -> None:
    manual.write_pages({"privacy.md": chapter("Our Privacy Notice", "## Cookies\n\nOur own words.\n")})
    manual.config["nav"].append("privacy.md")
    manual.commit("Amendment: Our privacy notice", "2026-06-29T11:00:00+00:00")
    manual.build()
    assert soup(manual.html("privacy/")).select_one("article h1").get_text() == "Our Privacy Notice"  # type: ignore[union-attr]
    # Every board's site has a copy of it, as of every regional page.
    assert soup(manual.html("north/privacy/")).select_one("article h1").get_text() == "Our Privacy Notice"  # type: ignore[union-attr]
