"""The printed page, checked in headless Chromium: the stamp, the banner, hidden navigation, the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from mkdocs_procedures.core.stamp import DEFAULT_DATE_FORMAT, format_moment

from .conftest import ARTIFACTS, SITE_URL
from .paper import Sheet, read_sheets, render_sheets, squash, unwrapped

pytestmark = pytest.mark.browser

LONDON = "Europe/London"
CHAPTER = "specific-circumstances/child-deaths/"
TIME = r"\d\d:\d\d:\d\d [AP]M"


def today_in_stamp_words() -> str:
    """The date part of the default stamp, as the reader's clock (London) reads today."""
    return format_moment(dt.datetime.now(ZoneInfo(LONDON)), "%A %-d%o of %B %Y")


DUDLEY = "Dudley Safeguarding People Partnership"



def printed_sheets(page: Any) -> list[Sheet]:
    """The page as Chromium prints it (its own sheet size and margins, as a reader's print dialog does)."""
    return read_sheets(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))))


def test_every_printed_sheet_carries_the_stamp_with_the_readers_clock_and_the_pages_url(
        page: Any, demo_url: str) -> None:
    page.goto(demo_url + CHAPTER)
    sheets = printed_sheets(page)
    assert len(sheets) >= 2, "the chapter must run over more than one sheet for this test to mean anything"
    stamp = (rf"This page is correct as printed on {re.escape(today_in_stamp_words())} {TIME} please refer back "
             rf"to this website \({re.escape(SITE_URL + CHAPTER)}\) for updates\.")
    moments = set()
    for sheet in sheets:
        assert sheet.top == "Regional Child Safeguarding Procedures", sheet
        assert re.fullmatch(rf"Page {sheet.number} of {len(sheets)} ?{stamp}", sheet.foot) or \
            re.fullmatch(rf"{stamp} ?Page {sheet.number} of {len(sheets)}", sheet.foot), sheet.foot
        assert "This page is correct as printed" not in sheet.body, "the stamp once per sheet, in its margin"
        moments.update(re.findall(TIME, sheet.foot))
    assert len(moments) == 1, "one time on every sheet"
    body = unwrapped(" ".join(sheet.body for sheet in sheets))
    assert re.search(rf"Version[0-9a-f]{{12}}\.Isthisprintoutstillcurrent\?Checkat"
                     rf"{re.escape(SITE_URL)}check/\?c=child-deaths&v=[0-9a-f]{{12}}(?=Citethisversion)", body), body
    assert all(sheet.body_without_check for sheet in sheets), "no sheet holds only the stamp"


def test_a_regional_page_printed_with_a_board_picked_is_that_boards_page_on_paper(
        page: Any, demo_url: str) -> None:
    page.goto(demo_url + "responding/making-a-referral/?board=dudley")
    board_page = SITE_URL + "dudley/responding/making-a-referral/"
    sheets = printed_sheets(page)
    for sheet in sheets:
        assert sheet.top == f"Regional Child Safeguarding Procedures {DUDLEY}", sheet
        assert f"please refer back to this website ({board_page}) for updates." in sheet.foot, sheet
    text = squash(" ".join(sheet.body for sheet in sheets))
    assert "01632 960201" in text, "Dudley's front door number, not the regional wording"
    assert "the number on your local partnership's contacts page" not in text
    assert re.search(r"Checkathttps://procedures\.example\.org/check/\?c=making-a-referral&v=[0-9a-f]{12}&b=dudley",
                     unwrapped(text)), text
    assert text.count("Showing local information for Dudley") == 1, "the board line prints once"
    assert f"earlyhelp({demo_url}dudley/responding/early-help/)" in unwrapped(text), "links print as the board's"
    page.emulate_media(media="print")
    address = page.locator(".procedures-stamp:not([hidden]) .procedures-stamp__check").inner_text()
    picture = Image.open(io.BytesIO(page.locator(".procedures-stamp:not([hidden]) svg.procedures-qr").screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(picture)] == [address.rsplit("Check at ", 1)[1].strip()]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chapter-dudley-picked.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    render_sheets(ARTIFACTS / "chapter-dudley-picked.pdf", ARTIFACTS / "chapter-dudley-picked", 1, 2)
    page.emulate_media(media="screen")
    page.locator("#procedures-board-top").select_option("")
    sheets = printed_sheets(page)
    assert all(sheet.top == "Regional Child Safeguarding Procedures" for sheet in sheets)
    assert all(f"({SITE_URL}responding/making-a-referral/)" in sheet.foot for sheet in sheets)


def test_a_chapter_printed_alone_keeps_its_step_numbers_and_bullets_indented_as_on_screen(
        page: Any, demo_url: str) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(demo_url + "child-protection/professional-disagreements/")

    def indent(selector: str) -> float:
        """How far a list item's text stands right of the paragraph before the list, in CSS pixels."""
        return float(page.evaluate(
            "selector => { const item = document.querySelector(selector); const text = document.createRange();"
            " text.selectNodeContents(item); const list = item.parentElement;"
            " const paragraph = list.previousElementSibling.previousElementSibling;"
            " return text.getBoundingClientRect().left - paragraph.getBoundingClientRect().left; }", selector))

    on_screen = indent("article h2#principles + ul > li")
    sheets = printed_sheets(page)
    body = "\n".join(sheet.body for sheet in sheets)
    for number, stage in enumerate(("Practitioner to practitioner", "Manager to manager", "Senior managers",
                                    "The safeguarding partnership"), start=1):
        assert re.search(rf"^{number}\.\s*{stage}", body, re.MULTILINE), (number, body[:800])
    lines = [line for sheet in sheets for line in sheet.lines]
    paragraph = next(x for x, _, text in lines if text.startswith("Practitioners see"))
    bullet_item = next(x for x, _, text in lines if text.startswith("The child's safety"))
    on_paper = (bullet_item - paragraph) * 96 / 72  # points to CSS pixels
    assert on_screen > 12 and abs(on_paper - on_screen) <= 0.2 * on_screen, (on_screen, on_paper)


def test_a_heading_is_never_the_last_thing_on_a_sheet(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "child-protection/professional-disagreements/?board=dudley")
    headings = [squash(text) for text in page.locator("article h2").all_inner_texts()]
    for sheet in printed_sheets(page):
        last = squash(sheet.body_without_check).rsplit("  ", 1)[-1]
        assert not any(last.endswith(heading) for heading in headings), (sheet.number, last[-80:])


def test_the_printed_qr_code_reads_as_the_check_address(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "dudley/" + CHAPTER)
    page.emulate_media(media="print")
    check = page.locator(".procedures-stamp__check")
    address = check.inner_text().rsplit("Check at ", 1)[1].strip()
    assert address.startswith(f"{SITE_URL}check/?c=child-deaths&v=") and address.endswith("&b=dudley")
    picture = Image.open(io.BytesIO(check.locator("svg.procedures-qr").screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(picture)] == [address]


def test_print_hides_navigation_and_shows_the_banner_and_title(page: Any, demo_url: str) -> None:
    page.goto(demo_url + CHAPTER)
    assert page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".procedures-stamp").first.is_visible()  # on screen the stamp is hidden
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("article h1").inner_text() == "Child Death Reviews"
    assert page.locator(".procedures-banner--under-review").is_visible()
    assert re.fullmatch(r"Last amended: \d\d-\d\d-\d{4}", page.locator(".procedures-last-amended").inner_text())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chapter-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.screenshot(path=str(ARTIFACTS / "chapter-screen.png"), full_page=True)


def test_a_board_page_prints_its_note_without_the_screen_only_link(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "dudley/" + CHAPTER)
    page.emulate_media(media="print")
    assert page.locator(".procedures-board-note").inner_text() == (
        "This is the version of the manual for Dudley Safeguarding People Partnership, with its local "
        "information in marked boxes.")


def test_printed_links_show_where_they_lead(page: Any, demo_url: str) -> None:
    page.goto(demo_url + CHAPTER)
    page.emulate_media(media="print")
    link = page.locator("article a[href$='strategy-discussions/']").first
    after = link.evaluate("link => getComputedStyle(link, '::after').content")
    assert after == f'" ({demo_url}child-protection/strategy-discussions/)"'


def test_without_javascript_every_sheet_says_when_the_site_was_published(browser: Any, demo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, timezone_id=LONDON)
    try:
        page = context.new_page()
        page.goto(demo_url + CHAPTER)
        page.emulate_media(media="print")
        assert not page.locator(".procedures-stamp:not([hidden]) .procedures-stamp__printed").is_visible()
        built = squash(page.locator(".procedures-stamp:not([hidden]) .procedures-stamp__built").inner_text())
        assert built.startswith("This page was correct when this website was last published on ")
        assert f"({SITE_URL}{CHAPTER})" in built
        for sheet in printed_sheets(page):
            assert built in sheet.foot, (sheet.number, sheet.foot)
            assert "as printed on" not in sheet.foot + sheet.body, "without a script the reader's clock is unknown"
    finally:
        context.close()


@pytest.mark.parametrize(
    "pattern", [DEFAULT_DATE_FORMAT, "%a %d/%m/%Y %-I:%M %p", "%d-%m-%Y %H:%M:%S (%b) 100%%"]
)
@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2026, 11, 23, 10, 15, 2), dt.datetime(2026, 1, 1, 0, 5, 9), dt.datetime(2027, 3, 12, 23, 59, 59)],
)
def test_the_browser_formats_dates_exactly_as_python_does(
    page: Any, demo_url: str, pattern: str, moment: dt.datetime
) -> None:
    page.goto(demo_url)
    in_browser = page.evaluate(
        "([parts, pattern]) => window.procedures.formatMoment(new Date(...parts), pattern)",
        [[moment.year, moment.month - 1, moment.day, moment.hour, moment.minute, moment.second], pattern],
    )
    assert in_browser == format_moment(moment.replace(tzinfo=ZoneInfo(LONDON)), pattern)


def test_a_page_printed_to_pdf_carries_the_banner_and_title_on_its_first_sheet(page: Any, demo_url: str) -> None:
    page.goto(demo_url + CHAPTER)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chapter.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    render_sheets(ARTIFACTS / "chapter.pdf", ARTIFACTS / "chapter", 1, 2)
    sheets = printed_sheets(page)
    first = squash(sheets[0].body)
    assert first.startswith("Child Death Reviews"), "the first sheet must start with the chapter"
    assert "This procedure is currently under review." in first
    assert "Contents" not in first[:200], "navigation must not be printed"
