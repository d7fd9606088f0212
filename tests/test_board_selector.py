"""The board selector and board sites in headless Chromium, against the demo manual."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

REFERRAL = "responding/making-a-referral/"
EARLY_HELP = "responding/early-help/"



def visible_boards(page: Any) -> set[str]:
    return set(page.eval_on_selector_all(
        ".procedures-local[data-board]",
        "blocks => blocks.filter(b => b.offsetParent !== null).map(b => b.dataset.board)",
    ))


def test_picking_a_board_shows_its_local_boxes_only_and_survives_navigation_and_reload(page: Any, demo_url: str) -> None:
    page.goto(demo_url + REFERRAL)
    assert visible_boards(page) == set()
    page.select_option("#procedures-board-top", "dudley")
    assert visible_boards(page) == {"dudley"}
    assert page.locator("#procedures-board-bottom").input_value() == "dudley"
    assert "01632 960201" in page.locator("article").inner_text()  # Dudley's front door, not the default
    assert "board=dudley" in page.url
    page.click(f"article a[href$='{EARLY_HELP.split('/')[1]}/']")
    page.wait_for_url(f"**/{EARLY_HELP}")
    assert visible_boards(page) == {"dudley"}
    assert page.locator("#procedures-board-top").input_value() == "dudley"
    page.reload()
    assert visible_boards(page) == {"dudley"}
    assert "Showing local information for Dudley" in page.locator(".procedures-boards__status").first.inner_text()


def test_a_link_with_board_selects_it_and_clearing_hides_local_content(page: Any, demo_url: str) -> None:
    page.goto(demo_url + REFERRAL + "?board=walsall")
    assert visible_boards(page) == {"walsall"}
    page.click(".procedures-boards__clear >> nth=0")
    assert visible_boards(page) == set()
    assert "board=" not in page.url
    assert "the number on your local partnership's contacts page" in page.locator("article").inner_text()
    page.goto(demo_url + EARLY_HELP)
    assert visible_boards(page) == set()


def test_an_unknown_board_in_a_link_is_ignored(page: Any, demo_url: str) -> None:
    page.goto(demo_url + REFERRAL + "?board=atlantis")
    assert visible_boards(page) == set()
    assert page.locator("#procedures-board-top").input_value() == ""


def test_the_selector_works_with_the_keyboard_alone(page: Any, demo_url: str) -> None:
    page.goto(demo_url + REFERRAL)
    page.locator("#procedures-board-top").focus()
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    assert page.locator("#procedures-board-top").input_value() == "dudley"
    assert visible_boards(page) == {"dudley"}
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("md-button procedures-boards__clear")
    page.keyboard.press("Enter")
    assert visible_boards(page) == set()


def test_without_javascript_readers_get_links_to_each_boards_page(browser: Any, demo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_url + REFERRAL)
        assert not page.locator(".procedures-boards__picker").first.is_visible()
        links = page.locator("article .procedures-boards").first.locator("a")
        assert links.count() == 9
        links.nth(1).click()
        page.wait_for_url(f"**/dudley/{REFERRAL}")
        assert page.locator(".md-header__topic").first.inner_text().startswith("Dudley")
    finally:
        context.close()


def test_a_board_site_names_the_board_and_lists_its_own_pages(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "dudley/" + REFERRAL)
    assert page.locator(".md-header__topic").first.inner_text() == "Dudley: Regional Child Safeguarding Procedures"
    nav = page.locator(".md-nav--primary").inner_text()
    assert "Dudley Local Contacts" in nav and "Dudley Guidance for Professionals" in nav
    assert "Walsall Local Contacts" not in nav


def test_a_board_sites_search_finds_its_local_text(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "dudley/")
    page.locator("input.md-search__input").click()
    # Material says "Initializing search" until its worker has loaded the index.
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')"
    )
    page.locator("input.md-search__input").press_sequentially("Out of Hours Social Work Team")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10000)
    hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any("/dudley/" in href for href in hrefs), hrefs
    assert all("/walsall/" not in href for href in hrefs)
