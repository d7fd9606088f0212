"""Accessibility: axe-core finds no WCAG 2.2 A or AA violations on the pages practitioners use most."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = [
    "",
    "responding/making-a-referral/",
    "amendments/",
    "dudley/responding/making-a-referral/",
    "404.html",
    "contents/",
    "accessibility/",
    "dudley/accessibility/",
    "privacy/",
]



def violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    return [
        f"{violation['id']}: {violation['help']} at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("path", PAGES)
def test_no_violations(page: Any, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    assert violations(page) == []


def test_no_violations_with_the_amended_since_banner_showing(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "dudley/responding/making-a-referral/")
    page.evaluate("localStorage.setItem('procedures.read:dudley:making-a-referral', "
                  "JSON.stringify({key: 'an-older-version', date: '2000-01-01'}))")
    page.reload()
    assert page.locator("article .procedures-since").is_visible()
    assert violations(page) == []


def test_no_violations_with_a_board_chosen(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "responding/making-a-referral/?board=walsall")
    assert violations(page) == []


def test_no_violations_on_the_check_page(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "check/?c=online-safety&v=0000000")
    page.wait_for_selector(".procedures-check[data-result]")
    assert violations(page) == []


def test_no_violations_on_a_what_changed_view(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "amendments/")
    page.locator("a.procedures-what-changed").first.click()
    page.wait_for_url("**/changes/**")
    assert violations(page) == []


BOARDS = ["birmingham", "dudley", "herefordshire", "sandwell", "shropshire", "telford-wrekin", "walsall",
          "wolverhampton", "worcestershire"]


@pytest.mark.parametrize("board", BOARDS)
def test_no_violations_on_every_boards_copy_of_a_chapter_and_its_contacts(page: Any, demo_url: str, board: str) -> None:
    """Each board's own colour for its "Local" tag, its boxes and its contacts page, checked by axe."""
    for path in (f"{board}/responding/making-a-referral/", f"{board}/local-contacts/", f"{board}/"):
        page.goto(demo_url + path)
        assert violations(page) == [], path
