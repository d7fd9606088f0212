"""Making a board's page from the regional page's HTML: pure text rewriting, tested on small pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs_procedures.render.board_pages import (
    BoardCopies,
    for_board,
    fragment,
    local_block,
    mark_board_sections,
    one_level_down,
    rebase_links,
    replace_fragments,
    with_site_name,
)

from .conftest import REPO_ROOT

REGIONAL = (
    "<p>Shared.</p>"
    + local_block("north", '<div class="procedures-local" data-board="north" hidden="hidden"><p>N</p></div>')
    + local_block("south", '<div class="procedures-local" data-board="south" hidden="hidden"><p>S</p></div>')
    + '<p>Call <span class="procedures-value" data-value="contacts.door.phone"><span class="procedures-value__regional">'
    'your number</span><span class="procedures-value__local" data-board="north" hidden data-search-exclude>01632 960111</span>'
    '<span class="procedures-value__local" data-board="south" hidden data-search-exclude>01632 960222</span></span>.</p>'
)


def test_a_board_keeps_its_own_blocks_shown_and_its_own_values() -> None:
    north = for_board(REGIONAL, "north")
    assert north == (
        '<p>Shared.</p>\n<div class="procedures-local" data-board="north"><p>N</p></div>\n'
        '<p>Call <a class="procedures-value" href="tel:01632960111">01632 960111</a>.</p>'
    )


def test_fragments_are_replaced_and_stay_marked() -> None:
    page = "<h1>T</h1>" + fragment("top", "REGIONAL TOP") + "<p>x</p>" + fragment("bottom", "REGIONAL BOTTOM")
    replaced = replace_fragments(page, {"top": "NORTH TOP", "bottom": "NORTH BOTTOM"})
    assert replaced == "<h1>T</h1>" + fragment("top", "NORTH TOP") + "<p>x</p>" + fragment("bottom", "NORTH BOTTOM")


NAV = (
    '<ul><li class="md-nav__item"><a href="../../" class="md-nav__link"><span class="md-ellipsis">Home</span></a></li>'
    '<li class="md-nav__item md-nav__item--nested"><input id="__nav_5"><label class="md-nav__link">'
    '<span class="md-ellipsis">North local information</span></label><ul>'
    '<li class="md-nav__item"><a href="../../north/contacts/" class="md-nav__link">'
    '<span class="md-ellipsis">North Contacts</span></a></li></ul></li></ul>'
)


def test_board_sections_of_the_navigation_are_marked_hidden_and_shown_for_their_board() -> None:
    marked = mark_board_sections(NAV, {"north": "North local information", "south": "South local information"})
    assert marked.count('data-procedures-board="north" hidden') == 1
    assert '<li class="md-nav__item md-nav__item--nested" data-procedures-board="north" hidden><input' in marked
    assert '<li class="md-nav__item md-nav__item--nested" data-procedures-board="north"><input' in for_board(marked, "north")
    assert 'data-procedures-board="north" hidden' in for_board(marked, "south")


PAGE = (
    '<link href="../../assets/site.css" rel="stylesheet"><a href="../../">Home</a>'
    '<a href="../early-help/#when">Early help</a><a href="../../changes/abc/">Changed</a>'
    '<a href="https://example.org/">Out</a><a href="#here">Here</a><img src="../../assets/logo.png">'
    '<script id="__config" type="application/json">{"base": "../..", "search": "../../assets/search.js"}</script>'
)
PAGES = {"", "responding/referrals/", "responding/early-help/"}


def test_one_level_down_keeps_links_to_mirrored_pages_and_climbs_for_the_rest() -> None:
    moved = one_level_down(PAGE, "responding/referrals/", PAGES)
    assert '<link href="../../../assets/site.css"' in moved
    assert '<a href="../../">Home</a>' in moved
    assert '<a href="../early-help/#when">' in moved
    assert '<a href="../../../changes/abc/">' in moved
    assert '<a href="https://example.org/">' in moved and '<a href="#here">' in moved
    assert '<img src="../../../assets/logo.png">' in moved
    settings = json.loads(moved.split('application/json">')[1].split("</script>")[0])
    assert settings == {"base": "../../", "search": "../../../assets/search.js"}


def test_rebase_links_sends_a_board_pages_links_to_the_boards_copies() -> None:
    # As MkDocs writes a board's own page at north/contacts/: links to regional pages and assets.
    page = '<a href="../../responding/referrals/#x">R</a><a href="../../assets/x.css">A</a><a href="../../">Home</a>'
    assert rebase_links(page, "north/contacts/", "north/contacts/", "north", PAGES) == (
        '<a href="../../north/responding/referrals/#x">R</a><a href="../../assets/x.css">A</a>'
        '<a href="../../north/">Home</a>')


def test_the_board_name_goes_where_material_writes_the_site_name() -> None:
    page = ('<title>Referrals - Procedures</title><div class="md-header__topic">\n'
            '  <span class="md-ellipsis">\n    Procedures\n  </span>')
    named = with_site_name(page, "Procedures", "North &amp; Co: Procedures")
    assert "<title>Referrals - North &amp; Co: Procedures</title>" in named
    assert "North &amp; Co: Procedures\n  </span>" in named


def test_a_section_whose_title_has_an_ampersand_is_found() -> None:
    nav = NAV.replace("North local information", "North &amp; Co local information")
    marked = mark_board_sections(nav, {"north": "North &amp; Co local information"})
    assert 'data-procedures-board="north" hidden' in marked


def test_a_copy_taken_apart_once_is_what_the_rewrites_in_turn_give(demo_site: Path) -> None:
    """Every regional chapter of the demo, for every board: the fast copy against the plain rewrites."""
    site_name = "Regional Child Safeguarding Procedures"
    boards = sorted(path.parent.name for path in (REPO_ROOT / "boards").glob("*/board.yml"))
    pages = [page for page in demo_site.glob("*/*/index.html") if page.parts[-3] not in boards]
    assert len(pages) > 15
    compared = 0
    for page in pages:
        url = page.parent.relative_to(demo_site).as_posix() + "/"
        moved = one_level_down(page.read_text(encoding="utf-8"), url, set())
        names = set(re.findall(r"<!--procedures:([a-z-]+)-->", moved)) - {"amendments"}
        copies = BoardCopies(moved, names, "https://procedures.example.org/" + url, site_name)
        for board in boards:
            fragments = {name: f"<p>{name} of {board} &amp; co</p>" for name in names}
            board_url = f"https://procedures.example.org/{board}/{url}"
            expected = replace_fragments(for_board(moved, board), fragments)
            expected = expected.replace(f'<link rel="canonical" href="https://procedures.example.org/{url}">',
                                        f'<link rel="canonical" href="{board_url}">', 1)
            expected = with_site_name(expected, site_name, f"{board.title()}: {site_name}")
            assert copies.copy(board, fragments, board_url, f"{board.title()}: {site_name}") == expected, (url, board)
            compared += 1
    assert compared == len(pages) * 9  # nine boards
