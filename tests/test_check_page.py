"""The printed-copy check page in Chromium: it reads amendments.json and says whether a printout is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def versions(demo_site: Path, chapter: str, board: str | None = None) -> list[str]:
    records = json.loads((demo_site / "amendments.json").read_text())
    return [r["commit"][:12] for r in records
            if r["chapter"] == chapter and r["commit"] and r["board"] in (None, board)]


def result(page: Any) -> str:
    page.wait_for_selector(".procedures-check[data-result]")
    return str(page.get_attribute(".procedures-check", "data-result"))


def test_an_older_printout_is_reported_as_amended_since(page: Any, demo_url: str, demo_site: Path) -> None:
    newest, older = versions(demo_site, "online-safety")[0], versions(demo_site, "online-safety")[-1]
    page.goto(demo_url + f"check/?c=online-safety&v={older}")
    assert result(page) == "amended"
    text = page.locator(".procedures-check").inner_text()
    assert f"Amended since your printed version {older}" in text
    assert "Added advice on reporting a live stream while it is running" in text
    page.locator(".procedures-check a", has_text="What changed").first.click()
    page.wait_for_url("**/changes/**")
    page.goto(demo_url + f"check/?c=online-safety&v={newest}")
    assert result(page) == "current"


def test_a_boards_printout_counts_that_boards_amendments(page: Any, demo_url: str, demo_site: Path) -> None:
    shared_newest = versions(demo_site, "online-safety")[0]
    page.goto(demo_url + f"check/?c=online-safety&v={shared_newest}&b=walsall")
    assert result(page) == "amended"
    assert "education safeguarding adviser" in page.locator(".procedures-check").inner_text()


def test_an_unknown_version_is_said_to_be_unknown(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "check/?c=online-safety&v=000000000000")
    assert result(page) == "unknown"


def answer(page: Any) -> str:
    result(page)
    return " ".join(page.locator(".procedures-check").inner_text().split())


def test_every_answer_names_the_chapter_the_board_and_the_version(page: Any, demo_url: str, demo_site: Path) -> None:
    newest = versions(demo_site, "online-safety", "walsall")[0]
    page.goto(demo_url + f"check/?c=online-safety&v={newest}&b=walsall")
    assert result(page) == "current"
    assert answer(page).startswith(f"Checking “Online Safety”, Walsall Safeguarding Partnership, printed version {newest}.")
    page.goto(demo_url + f"check/?c=online-safety&v={newest[:3]}")
    assert result(page) == "short-version"
    assert f"“{newest[:3]}” is not a whole version: it is the 12 letters and digits" in answer(page)


def test_an_unknown_board_or_chapter_is_named_not_taken_for_the_regional_text(page: Any, demo_url: str,
                                                                              demo_site: Path) -> None:
    newest = versions(demo_site, "online-safety")[0]
    page.goto(demo_url + f"check/?c=online-safety&v={newest}&b=atlantis")
    assert result(page) == "unknown-board"
    assert answer(page) == "This site has no board “atlantis”. Check the address on your printout."
    page.goto(demo_url + f"check/?c=no-such-chapter&v={newest}")
    assert result(page) == "unknown-chapter"
    assert answer(page) == "This site has no chapter “no-such-chapter”. Check the address on your printout."


def test_a_printed_address_pasted_into_the_field_is_checked(page: Any, demo_url: str, demo_site: Path) -> None:
    older = versions(demo_site, "online-safety")[-1]
    page.goto(demo_url + "check/")
    assert page.locator(".procedures-check__help").inner_text().startswith("Or scan the square code")
    page.get_by_label("The address printed on your page").fill(
        f"https://procedures.example.org/check/?c=online-safety&v={older}")
    page.get_by_role("button", name="Check").click()
    assert result(page) == "amended"
    assert page.get_by_label("The address printed on your page").input_value().endswith(older)
