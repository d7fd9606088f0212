"""The amendments page and what-changed views in headless Chromium, against the demo manual."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser



def log_rows(page: Any) -> list[dict[str, Any]]:
    """Every row of the log: whether it shows, whether it is shared, the boards and chapters it touched."""
    return list(page.eval_on_selector_all(
        ".procedures-amendments__table tbody tr",
        """rows => rows.map(r => ({shown: !r.hidden, shared: r.dataset.shared === "yes",
                                   boards: (r.dataset.board || "").split(" ").filter(Boolean),
                                   chapters: (r.dataset.chapter || "").split(" ").filter(Boolean)}))""",
    ))


def shown_boards(page: Any) -> set[str]:
    return {label for row in log_rows(page) if row["shown"]
            for label in (["shared"] if row["shared"] else []) + row["boards"]}


def test_the_board_filter_shows_shared_and_the_chosen_boards_amendments(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "amendments/")
    assert len(shown_boards(page)) == 10  # shared and all nine boards
    page.select_option("#procedures-amendments-board", "walsall")
    rows = log_rows(page)
    assert all(row["shown"] == (row["shared"] or "walsall" in row["boards"]) for row in rows)
    assert any(not row["shown"] for row in rows) and any(row["boards"] == ["walsall"] for row in rows)
    page.select_option("#procedures-amendments-board", "")
    assert all(row["shown"] == row["shared"] for row in log_rows(page))
    assert "amendments shown" in page.locator(".procedures-amendments__count").inner_text()


def test_the_filter_starts_from_the_readers_board(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "responding/making-a-referral/?board=dudley")
    page.goto(demo_url + "amendments/")
    assert page.locator("#procedures-amendments-board").input_value() == "dudley"
    assert all(row["shown"] == (row["shared"] or "dudley" in row["boards"]) for row in log_rows(page))


def test_the_chapter_filter_works_by_keyboard_and_by_address(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "amendments/?chapter=online-safety&board=walsall")
    assert page.locator("#procedures-amendments-chapter").input_value() == "online-safety"
    rows = log_rows(page)
    assert all(row["shown"] == ("online-safety" in row["chapters"] and (row["shared"] or "walsall" in row["boards"]))
               for row in rows)
    assert 1 < sum(row["shown"] for row in rows) < len(rows) / 4
    page.locator("#procedures-amendments-chapter").focus()
    page.keyboard.press("Home")  # the first choice: every chapter
    assert page.locator("#procedures-amendments-chapter").input_value() == "*"
    assert all(row["shown"] == (row["shared"] or "walsall" in row["boards"]) for row in log_rows(page))
    # An address naming no chapter the log has is ignored, not obeyed.
    page.goto(demo_url + "amendments/?chapter=%3Cscript%3E")
    assert page.locator("#procedures-amendments-chapter").input_value() == "*"
    assert all(row["shown"] for row in log_rows(page)) or page.locator("#procedures-amendments-board").input_value() != "*"


def test_entries_link_to_chapters_and_what_changed_opens(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "amendments/")
    row = page.locator("tbody tr", has_text="Added advice on reporting a live stream").first
    row.locator("a", has_text="Online Safety").click()
    page.wait_for_url("**/specific-circumstances/online-safety/")
    assert page.locator("article h1").inner_text() == "Online Safety"
    page.go_back()
    page.locator("tbody tr", has_text="Added advice on reporting a live stream").first.locator(
        "a", has_text="What changed").click()
    page.wait_for_url("**/changes/*-online-safety.html")
    inserted = " ".join(page.locator(".procedures-change ins").all_inner_texts())
    assert "show children where that button is before they need it." in inserted
    assert page.locator(".procedures-change h2").first.inner_text().startswith("Live streaming")


def test_a_chapter_lists_its_boards_amendments_only_for_the_chosen_board(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "specific-circumstances/online-safety/")
    def visible_rows() -> list[str]:
        return list(page.eval_on_selector_all(
            ".procedures-chapter-amendments tbody tr",
            "rows => rows.filter(r => r.offsetParent !== null).map(r => r.innerText)",
        ))

    assert not any("Walsall" in text for text in visible_rows())
    assert any("reporting a live stream" in text for text in visible_rows())
    page.select_option("#procedures-board-top", "walsall")
    assert any("education safeguarding adviser" in text for text in visible_rows())
    assert page.locator(".procedures-last-amended").inner_text().startswith("Last amended: ")


def test_no_amendments_page_or_check_page_scrolls_sideways_on_a_small_phone(browser: Any, demo_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        boards = ["birmingham", "dudley", "herefordshire", "sandwell", "shropshire", "telford-wrekin", "walsall",
                  "wolverhampton", "worcestershire"]
        for path in ["amendments/", "check/", *(f"{board}/amendments/" for board in boards)]:
            page.goto(demo_url + path)
            page.wait_for_load_state("load")
            wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 3)""")
            width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1] and wide == [], (path, width, wide)
    finally:
        context.close()


def test_without_javascript_each_boards_amendments_are_a_link_away(browser: Any, demo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_url + "amendments/")
        page.locator(".procedures-amendments__boards").get_by_role("link", name="Dudley").click()
        page.wait_for_url("**/dudley/amendments/")
        assert page.locator(".procedures-amendments__table tbody tr").count() > 10
        table = page.locator(".procedures-amendments__table")
        assert table.evaluate("t => getComputedStyle(t).borderCollapse") == "collapse", "styled like the site's tables"
    finally:
        context.close()
