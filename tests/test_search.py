"""Search as a practitioner in a hurry uses it: acronyms with or without brackets, each board's own
numbers in its own index and nobody else's, and the values of a page apart from one another."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from mkdocs_procedures.render.board_sites import (
    SEARCH_ENTRIES_WRITTEN,
    search_index_parts,
    write_search_index,
    written_search_index,
)
from mkdocs_procedures.render.markup import VALUE_END, VALUE_START
from mkdocs_procedures.render.search_index import entries_after_rebuild, latest_entries

from .conftest import REPO_ROOT

BOARDS = sorted(folder.name for folder in (REPO_ROOT / "boards").iterdir() if folder.is_dir())
NUMBER = re.compile(r"01632 9\d{5}")


def numbers_of(board: str) -> set[str]:
    return set(NUMBER.findall((REPO_ROOT / "boards" / board / "board.yml").read_text(encoding="utf-8")))


def index_text(site: Path, board: str | None) -> str:
    index = json.loads((site / (f"{board}/" if board else "") / "search/search_index.json").read_text())
    return " ".join(document["title"] + " " + document["text"] for document in index["docs"])


def test_each_boards_index_holds_its_own_numbers_and_no_other_boards(demo_site: Path) -> None:
    everyone = set().union(*(numbers_of(board) for board in BOARDS))
    assert not set(NUMBER.findall(index_text(demo_site, None))), "the regional index has the regional wording"
    for board in BOARDS:
        found = set(NUMBER.findall(index_text(demo_site, board)))
        assert found & numbers_of(board), board
        assert not found & (everyone - numbers_of(board)), (board, sorted(found - numbers_of(board)))


def test_a_regional_section_reads_each_value_once_in_its_own_place(demo_site: Path) -> None:
    def section(board: str | None) -> str:
        index = json.loads((demo_site / (f"{board}/" if board else "") / "search/search_index.json").read_text())
        return next(document["text"] for document in index["docs"]
                    if document["location"] == "allegations/managing-allegations/#the-designated-officer")

    assert section(None).endswith("Telephone the number on your local partnership's contacts page.</p>")
    assert section("dudley").endswith("Telephone 01632 960203.</p>")
    assert section("walsall").endswith("Telephone 01632 960703.</p>")


def test_no_page_or_index_keeps_the_marks_of_the_values(demo_site: Path) -> None:
    for file in [*demo_site.glob("**/*.html"), *demo_site.glob("**/search_index.json")]:
        text = file.read_text(encoding="utf-8")
        assert VALUE_START not in text and VALUE_END not in text and "\\ufdd0" not in text, file


def search(page: Any, query: str) -> list[str]:
    """The titles of the results Material's search shows for `query`."""
    field = page.locator("input.md-search__input")
    field.click()
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')")
    field.fill("")
    field.press_sequentially(query)
    page.wait_for_function("() => /matching/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.wait_for_timeout(300)
    return [title.strip() for title in page.locator(".md-search-result__article h1, .md-search-result__article h2")
            .all_inner_texts()]


@pytest.mark.browser
@pytest.mark.parametrize(("site", "query", "chapter"), [
    ("", "MASH", "Making a Referral to Children's Social Care"),
    ("", "(MASH)", "Making a Referral to Children's Social Care"),
    ("", "LADO", "Managing Allegations against People who Work with Children"),
    ("dudley/", "MASH", "Making a Referral to Children's Social Care"),
    ("dudley/", "LADO", "Managing Allegations against People who Work with Children"),
])
def test_an_acronym_finds_its_chapter(page: Any, demo_url: str, site: str, query: str, chapter: str) -> None:
    page.goto(demo_url + site)
    titles = search(page, query)
    assert any(title.startswith(chapter) for title in titles), (query, titles)


@pytest.mark.browser
def test_a_number_finds_only_its_own_boards_pages(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "dudley/")
    assert search(page, "960101") == [], "Birmingham's front door is not in Dudley's search"
    assert search(page, "960201"), "Dudley's own front door is"


def test_board_phone_numbers_and_addresses_are_links_to_call_and_write(demo_site: Path) -> None:
    from bs4 import BeautifulSoup

    for page in ("dudley/local-contacts/index.html", "dudley/responding/making-a-referral/index.html"):
        soup = BeautifulSoup((demo_site / page).read_text(encoding="utf-8"), "html.parser")
        links = {link.get_text(): link["href"] for link in soup.select("article a.procedures-value")}
        assert links.get("01632 960201") == "tel:01632960201", (page, links)
    contacts = BeautifulSoup((demo_site / "dudley/local-contacts/index.html").read_text(encoding="utf-8"),
                             "html.parser")
    assert contacts.select_one('article a[href="mailto:front.door@dudley.example.org"]') is not None
    regional = BeautifulSoup((demo_site / "responding/making-a-referral/index.html").read_text(encoding="utf-8"),
                             "html.parser")
    shown = [link for link in regional.select("article a.procedures-value")
             if not link.find_parent(attrs={"hidden": True})]
    assert shown == [], "the regional page shows the regional wording, which is no number"


@pytest.mark.browser
@pytest.mark.parametrize("scripts", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_every_boards_front_door_number_is_one_tap_from_the_regional_home_page_on_a_phone(
        browser: Any, demo_url: str, scripts: bool) -> None:
    """From the regional home page on a phone: one tap on the board's "contacts" (in the first screen), and
    its front door's number is on the first screen of the page that opens, as a link to call it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  java_script_enabled=scripts)
    try:
        page = context.new_page()
        for board in BOARDS:
            page.goto(demo_url)
            short_name = yaml.safe_load((REPO_ROOT / "boards" / board / "board.yml").read_text())["short_name"]
            contacts = page.locator(".procedures-partnerships li", has_text=short_name).get_by_role("link",
                                                                                                   name="contacts")
            box = contacts.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, (board, "the link is on the first screen")
            contacts.tap()
            page.wait_for_url(f"**/{board}/local-contacts/")
            number = yaml.safe_load((REPO_ROOT / "boards" / board / "board.yml").read_text())[
                "contacts"]["front_door"]["phone"]
            call = page.locator(f'article a[href="tel:{number.replace(" ", "")}"]').first
            box = call.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, (board, "the number is on the first screen")
            assert call.inner_text().split() == number.split()
    finally:
        context.close()


def test_every_page_of_a_boards_site_links_its_contacts(demo_site: Path) -> None:
    from bs4 import BeautifulSoup

    for board in BOARDS:
        for page in (demo_site / board).glob("**/index.html"):
            if {"search", "print", "editions", "changes"} & set(page.relative_to(demo_site).parts):
                continue
            note = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
                ".procedures-board-note__contacts")
            if note is None:
                assert page.parent.name in ("local-contacts", "amendments", "contents") or \
                    page.parent.parent.name == board, page  # the board's own pages list it in the navigation
                continue
            assert (page.parent / str(note["href"])).resolve() == (demo_site / board / "local-contacts").resolve()


def test_the_not_found_page_offers_the_way_home_and_every_partnership(demo_site: Path) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup((demo_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    links = {link.get_text(): link["href"] for link in page.select("article a")}
    assert links["home page"] == "https://procedures.example.org/", "served at any address: full addresses"
    hrefs = [str(link["href"]) for link in page.select(".procedures-partnerships a")]
    for board in BOARDS:
        assert f"https://procedures.example.org/{board}/local-contacts/" in hrefs
        assert f"https://procedures.example.org/{board}/" in hrefs
    assert page.select_one("input.md-search__input") is not None, "the search is there too"


def test_a_manual_without_boards_offers_no_partnerships_on_its_not_found_page(project: Any) -> None:
    from bs4 import BeautifulSoup

    project.write_pages({"index.md": "---\ntitle: Home\n---\n\nWelcome.\n"})
    page = BeautifulSoup((project.build() / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".procedures-not-found").get_text(" ", strip=True).endswith(  # type: ignore[union-attr]
        "Search above or start from the home page .")
    assert page.select_one(".procedures-partnerships") is None


def _entries(page: str, sections: list[str], version: str) -> list[dict[str, str]]:
    return [{"location": page, "text": version}] + [{"location": f"{page}#{section}", "text": version}
                                                     for section in sections]


def test_a_rebuild_of_several_pages_keeps_each_pages_latest_entries_once() -> None:
    """Material's index under `mkdocs serve --dirty` after a rebuild of pages b/ and c/: it dropped the old
    entries of b/ only (the first page made again), and appended both pages' new entries."""
    merged = (_entries("a/", ["one"], "old") + _entries("c/", ["gone"], "old")
              + _entries("b/", ["two", "new-section"], "new") + _entries("c/", ["kept"], "new"))
    assert latest_entries(merged) == (_entries("a/", ["one"], "old") + _entries("b/", ["two", "new-section"], "new")
                                      + _entries("c/", ["kept"], "new"))


@given(st.lists(st.tuples(st.sampled_from(["", "a/", "b/", "a/b/", "board/a/"]),
                          st.lists(st.sampled_from(["x", "y", "z"]), max_size=3)), max_size=8))
def test_each_pages_last_run_of_entries_is_kept_in_order(pages: list[tuple[str, list[str]]]) -> None:
    documents = [entry for number, (page, sections) in enumerate(pages)
                 for entry in _entries(page, sections, str(number))]
    kept = latest_entries(documents)
    last = {page: str(number) for number, (page, _) in enumerate(pages)}
    assert kept == [entry for entry in documents if entry["text"] == last[entry["location"].split("#")[0]]]
    assert latest_entries(kept) == kept


def test_a_rebuild_of_the_home_page_keeps_every_other_pages_entries_in_place() -> None:
    """Under `mkdocs serve --dirty`, Material drops the old entries whose address starts with the first page
    made again: every entry, when it is the home page (address ""). The index is made from the last one."""
    before = _entries("", ["welcome"], "old") + _entries("a/", ["one"], "old") + _entries("b/", ["two"], "old") \
        + _entries("gone/", [], "old")
    material = _entries("", ["welcome", "news"], "new") + _entries("b/", ["three"], "new")  # all it kept
    after = entries_after_rebuild(before, material, made={"", "b/"}, pages={"", "a/", "b/", "new/"})
    assert after == _entries("", ["welcome", "news"], "new") + _entries("a/", ["one"], "old") \
        + _entries("b/", ["three"], "new"), "each page in its place; a page no longer there left out"
    added = entries_after_rebuild(after, _entries("new/", [], "new"), made={"new/"}, pages={"", "a/", "b/", "new/"})
    assert added == after + _entries("new/", [], "new")
    assert entries_after_rebuild(None, material + material, made={"", "b/"}, pages={"", "b/"}) == material


class Unusual:
    def __str__(self) -> str:
        return "written as text"


@pytest.mark.parametrize("count", [0, 1, SEARCH_ENTRIES_WRITTEN, SEARCH_ENTRIES_WRITTEN * 2 + 3])
def test_an_index_written_in_pieces_is_byte_for_byte_material_s(tmp_path: Path, count: int) -> None:
    config = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"], "fields": {}}
    entries: list[dict[str, Any]] = [{"location": f"page-{n}/#a", "title": f"T\u00e9 {n}", "text": "<p>\u2028\"x\"</p>"}
                                     for n in range(count)]
    if entries:
        entries[-1]["tags"] = [Unusual()]  # what JSON has no form for, as Material writes it
    index = {"config": config, "docs": entries}
    write_search_index(tmp_path / "index.json", index)
    material = json.dumps(index, separators=(",", ":"), default=str)  # as Material's search plugin writes it
    assert (tmp_path / "index.json").read_text(encoding="utf-8") == material
    parts, changed = search_index_parts(index, [])
    assert "".join(text for _, text in parts) == material and changed


def test_a_rebuilds_index_makes_into_text_only_the_entries_that_changed() -> None:
    """Under `mkdocs serve --dirty`: an index the same as last written is unchanged and reuses every part's
    text; an edited entry makes only its own few hundred entries into text again; an entry added or gone,
    or a setting changed, changes the index. The text is always what Material would write."""
    def texts(parts: list[tuple[object, str]]) -> list[str]:
        return [text for _, text in parts]

    entries = [{"location": f"page-{n}/", "title": f"Page {n}", "text": f"<p>Text {n}</p>"} for n in range(1200)]
    index = {"config": {"lang": ["en"]}, "docs": entries}
    first, changed = search_index_parts(index, [])
    assert changed and len(first) == 2 + 1 + 3 + 2  # { and the settings, [, three parts of entries, ] and }
    again, changed = search_index_parts({"config": {"lang": ["en"]}, "docs": list(entries)}, first)
    assert not changed and all(now is before for now, before in zip(texts(again), texts(first), strict=True))
    edited = [*entries[:700], {**entries[700], "text": "<p>Edited</p>"}, *entries[701:]]
    after_edit, changed = search_index_parts({**index, "docs": edited}, first)
    assert changed and [now is before for now, before in zip(texts(after_edit), texts(first), strict=True)] == [
        True, True, True, True, False, True, True, True]
    for docs, config in [(edited, {"lang": ["de"]}), (edited[:-1], {"lang": ["en"]}),
                         ([*edited, entries[0]], {"lang": ["en"]})]:
        index = {"config": config, "docs": docs}
        parts, changed = search_index_parts(index, after_edit)
        assert changed and "".join(texts(parts)) == json.dumps(index, separators=(",", ":"))


def test_an_index_is_read_with_the_entries_at_hand_in_place_of_the_file_s(tmp_path: Path) -> None:
    written = {"config": {"lang": ["en"], "separator": "x"}, "docs": [{"location": "old/", "text": "old"}]}
    path = tmp_path / "index.json"
    path.write_text(json.dumps(written, separators=(",", ":")), encoding="utf-8")
    at_hand = [{"location": "new/", "text": "new"}]
    assert written_search_index(path, at_hand) == {"config": written["config"], "docs": at_hand}
    assert written_search_index(path) == written
    path.write_text(json.dumps({"docs": written["docs"], "config": written["config"]}), encoding="utf-8")
    assert written_search_index(path, at_hand) == {"docs": at_hand, "config": written["config"]}  # read whole
