"""Links that never break: every old address of a moved chapter leads to it, on every site, and a withdrawn
chapter's address says so; built from real repositories where chapters move and go."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from .conftest import BOARD, SITE_URL, Project, browsing, chapter

SOUTH = BOARD.replace("North", "South").replace("north", "south").replace("960111", "960222")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.fixture
def manual(project: Project) -> Project:
    """Chapters moved by git, moved with a new name and text (found by id), withdrawn with and without a
    replacement, and a board's own page moved."""
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"}, {"Amendments": "amendments.md"},
                             {"Part": ["old/referrals.md", "old/help.md", "old/gone.md", "old/replaced.md"]}]
    project.plugin_config().update({"boards_dir": "boards"})
    project.write("boards/north/board.yml", BOARD)
    project.write("boards/south/board.yml", SOUTH)
    project.write_pages({
        "old/referrals.md": chapter("Referrals", "## When to refer\n\nRefer when worried.\n"),
        "old/help.md": chapter("Early Help", "## Early help\n\nOffer help early.\n", id="early-help"),
        "old/gone.md": chapter("Gone Chapter", "## Old\n\nOld text.\n"),
        "old/replaced.md": chapter("Old Guidance", "## Old\n\nOld guidance.\n"),
    })
    project.write("boards/north/pages/north-contacts.md", chapter("North Contacts", "Ring us.\n"))
    project.commit("Publish", "2026-01-05T10:00:00+00:00")
    (project.root / "docs" / "responding").mkdir()
    project.git("mv", "docs/old/referrals.md", "docs/responding/making-a-referral.md")
    project.git("mv", "boards/north/pages/north-contacts.md", "boards/north/pages/local-contacts.md")
    project.commit("Move the referral chapter\n\nAmendment: none\n", "2026-02-01T10:00:00+00:00")
    project.git("rm", "-q", "docs/old/help.md")
    project.write_pages({"responding/early-help.md": chapter("Early Help for Families", "## Offer\n\nNew words.\n",
                                                              id="early-help")})
    project.git("rm", "-q", "docs/old/gone.md", "docs/old/replaced.md")
    project.write_pages({"responding/guidance.md": chapter("New Guidance", "## New\n\nText.\n",
                                                            replaces=["docs/old/replaced.md"])})
    project.config["nav"][3] = {"Part": ["responding/making-a-referral.md", "responding/early-help.md",
                                         "responding/guidance.md"]}
    project.commit("Amendment: Rewrote early help; withdrew two chapters", "2026-03-02T10:00:00+00:00")
    return project


MOVED = {
    "old/referrals/": "responding/making-a-referral/",
    "old/help/": "responding/early-help/",
}


def test_every_old_address_of_a_moved_chapter_leads_to_it_on_every_site(manual: Project) -> None:
    site = manual.build()
    listing = json.loads((site / "redirects.json").read_text())
    expected = [{"from": f"{root}{old}", "to": f"{root}{new}", "board": board}
                for board, root in ((None, ""), ("north", "north/"), ("south", "south/"))
                for old, new in MOVED.items()]
    expected.append({"from": "north/north-contacts/", "to": "north/local-contacts/", "board": "north"})
    assert sorted(listing["moved"], key=str) == sorted(expected, key=str)
    for entry in listing["moved"]:
        page = soup((site / entry["from"] / "index.html").read_text())
        canonical = page.select_one('link[rel="canonical"]')
        refresh = page.select_one('meta[http-equiv="refresh"]')
        assert canonical is not None and canonical["href"] == SITE_URL + entry["to"]
        assert refresh is not None
        target = str(refresh["content"]).split("url=", 1)[1]
        assert urljoin(SITE_URL + entry["from"], target) == SITE_URL + entry["to"]
        assert (site / entry["to"] / "index.html").is_file(), entry  # it leads to a page that exists


def test_a_withdrawn_chapters_address_says_when_and_what_replaced_it(manual: Project) -> None:
    site = manual.build()
    listing = json.loads((site / "redirects.json").read_text())
    assert sorted((entry["address"], entry["replaced_by"]) for entry in listing["withdrawn"]) == sorted(
        (f"{root}{old}", new and f"{root}{new}") for root in ("", "north/", "south/")
        for old, new in (("old/gone/", None), ("old/replaced/", "responding/guidance/")))
    for root in ("", "north/", "south/"):
        page = soup(manual.html(f"{root}old/replaced/"))
        banner = page.select_one("article .procedures-banner--withdrawn")
        assert banner is not None
        text = banner.get_text(" ", strip=True)
        assert "Old Guidance was withdrawn from the manual on 02-03-2026 ." in text
        assert "Rewrote early help; withdrew two chapters" in text
        link = banner.find("a", string="New Guidance")
        assert link is not None and urljoin(SITE_URL + f"{root}old/replaced/", str(link["href"])) == (
            f"{SITE_URL}{root}responding/guidance/")
        assert page.select_one("title").get_text().startswith("Old Guidance (withdrawn)")  # type: ignore[union-attr]
    gone = soup(manual.html("north/old/gone/")).select_one("article .procedures-banner--withdrawn")
    assert gone is not None and "replaced" not in gone.get_text()
    contents = gone.find("a", string="contents")
    assert contents is not None and urljoin(SITE_URL + "north/old/gone/", str(contents["href"])) == (
        SITE_URL + "north/contents/")


def test_an_old_address_that_a_page_has_now_is_left_to_it(manual: Project) -> None:
    manual.write_pages({"old/referrals.md": chapter("A New Referrals Page", "## New\n\nText.\n", id="new-referrals")})
    manual.config["nav"][3]["Part"].append("old/referrals.md")
    manual.commit("Amendment: A new page where the old one was", "2026-04-01T10:00:00+00:00")
    site = manual.build()
    listing = json.loads((site / "redirects.json").read_text())
    assert "old/referrals/" not in [entry["from"] for entry in listing["moved"]]
    assert soup(manual.html("old/referrals/")).select_one("article h1").get_text() == "A New Referrals Page"  # type: ignore[union-attr]


@pytest.mark.browser
def test_a_reader_following_an_old_address_arrives_with_the_board_and_section(manual: Project, browser: Any) -> None:
    site = manual.build()
    with browsing(browser, site) as (page, root):
        for entry in json.loads((site / "redirects.json").read_text())["moved"]:
            page.goto(root + entry["from"])
            page.wait_for_url(root + entry["to"])
        page.goto(root + "old/referrals/?board=north#when-to-refer")
        page.wait_for_url(root + "responding/making-a-referral/?board=north#when-to-refer")
        response = page.goto(root + "old/gone/")
        assert response is not None and response.status == 200
        assert "was withdrawn from the manual" in page.locator("article").inner_text()


def test_an_edition_keeps_its_addresses_and_leads_to_where_each_page_is_now(
    manual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from procedures_tools.cli import main

    manual.git("tag", "edition/launch", manual.git("rev-list", "--max-parents=0", "HEAD").strip())
    site = manual.build()
    assert main(["--root", str(manual.root), "editions", "--site", str(site), "--no-pdf"]) == 0, capsys.readouterr().err
    edition = site / "editions" / "launch"
    moved = soup((edition / "old" / "referrals" / "index.html").read_text())
    link = moved.find("a", string="The current version of this page is here")
    assert link is not None and urljoin(SITE_URL + "editions/launch/old/referrals/", str(link["href"])) == (
        SITE_URL + "responding/making-a-referral/")
    gone = (edition / "north" / "old" / "gone" / "index.html").read_text()
    assert "This page has since been withdrawn from the manual." in gone


def test_a_withdrawn_boards_page_shows_its_title_as_text(manual: Project) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    manual.write("boards/south/pages/tricky.md", chapter(hostile, "Text.\n"))
    manual.commit("Amendment: A tricky page", "2026-04-01T10:00:00+00:00")
    manual.git("rm", "-q", "boards/south/pages/tricky.md")
    manual.commit(f"Amendment: Withdrew {hostile}", "2026-04-02T10:00:00+00:00")
    manual.build()
    page = manual.html("south/tricky/")
    assert "<img" not in page
    assert soup(page).select_one("article h1").get_text() == f"{hostile} (withdrawn)"  # type: ignore[union-attr]
