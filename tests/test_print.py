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

pytestmark = pytest.mark.browser

LONDON = "Europe/London"
CHAPTER = "specific-circumstances/child-deaths/"
TIME = r"\d\d:\d\d:\d\d [AP]M"


def today_in_stamp_words() -> str:
    """The date part of the default stamp, as the reader's clock (London) reads today."""
    return format_moment(dt.datetime.now(ZoneInfo(LONDON)), "%A %-d%o of %B %Y")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()



def test_printed_stamp_reads_the_readers_clock_and_the_pages_url(page: Any, demo_url: str) -> None:
    page.goto(demo_url + CHAPTER)
    page.emulate_media(media="print")
    assert page.locator(".procedures-stamp").is_visible()
    stamp = page.locator(".procedures-stamp__printed")
    assert re.fullmatch(r"Version [0-9a-f]{12}\. Is this printout still current\? Check at "
                        rf"{re.escape(SITE_URL)}check/\?c=child-deaths&v=[0-9a-f]{{12}}",
                        page.locator(".procedures-stamp__check").inner_text())
    expected = (
        rf"This page is correct as printed on {re.escape(today_in_stamp_words())} {TIME} please refer back "
        rf"to this website \({re.escape(SITE_URL + CHAPTER)}\) for updates\."
    )
    assert re.fullmatch(expected, squash(stamp.inner_text()))
    assert not page.locator(".procedures-stamp__built").is_visible()


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
    assert not page.locator(".procedures-stamp").is_visible()  # on screen the stamp is hidden
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


def test_without_javascript_the_stamp_falls_back_to_the_build_time(browser: Any, demo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, timezone_id=LONDON)
    try:
        page = context.new_page()
        page.goto(demo_url + CHAPTER)
        page.emulate_media(media="print")
        assert not page.locator(".procedures-stamp__printed").is_visible()
        built = squash(page.locator(".procedures-stamp__built").inner_text())
        assert built.startswith("This page was correct when this website was last published on ")
        assert f"({SITE_URL}{CHAPTER})" in built
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


def test_a_page_printed_to_pdf_carries_the_stamp_banner_and_title(page: Any, demo_url: str) -> None:
    page.goto(demo_url + CHAPTER)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chapter.pdf").write_bytes(page.pdf(format="A4"))
    sheets = [squash(sheet.extract_text()) for sheet in pdf.pages]
    assert sheets[0].startswith("Child Death Reviews"), "the first sheet must start with the chapter"
    assert "This procedure is currently under review." in sheets[0]
    text = " ".join(sheets)
    assert re.search(
        rf"This page is correct as printed on {re.escape(today_in_stamp_words())} {TIME} please refer back "
        rf"to this website \({re.escape(SITE_URL + CHAPTER)}\) for updates\.",
        text,
    ), text[-600:]
    assert "Contents" not in sheets[0][:200], "navigation must not be printed"
