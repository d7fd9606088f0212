"""Whole builds with two boards: the combined site, each board's site, and every bad-input case."""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from .conftest import SITE_URL, Project, chapter

REFERRALS = """\
Intro.

## When to refer

Refer when worried. Call {{ board.contacts.front_door.phone }}.

## How to refer

Use the form.

## What happens next

We reply.
"""

NORTH_OVERLAY = """\
::: before #how-to-refer
NORTH-BEFORE
:::

::: after #how-to-refer "North's own form"
NORTH-AFTER uses {{ board.contacts.front_door.email }}
:::

::: end-of #when-to-refer
NORTH-END-OF
:::

::: end
NORTH-LAST
:::
"""


def board_yml(name: str, short: str, number: str, email: bool = True) -> str:
    return (
        f"name: {name}\nshort_name: {short}\nwebsite: https://{short.lower()}.example.org/\n"
        f"contacts:\n  front_door:\n    label: {short} front door\n    phone: 01632 960{number}\n"
        + (f"    email: door@{short.lower()}.example.org\n" if email else "")
        + f"admins:\n  - name: {short} lead\n    email: lead@{short.lower()}.example.org\n"
    )


@pytest.fixture
def manual(project: Project) -> Project:
    project.write_pages(
        {
            "responding/referrals.md": chapter("Making a Referral", REFERRALS, id="making-a-referral"),
            "intro/principles.md": chapter("Core Principles", "## Everyone\n\nText.\n"),
        }
    )
    project.config["nav"] = [
        {"Home": "index.md"},
        {"Contents": "contents.md"},
        {"Introduction": ["intro/principles.md"]},
        {"Responding": ["responding/referrals.md"]},
    ]
    project.plugin_config().update(
        {"boards_dir": "boards", "regional_values": {"contacts.front_door.phone": "your local number"}}
    )
    project.write("boards/north/board.yml", board_yml("North <Safeguarding> Partnership", "North", "111"))
    project.write("boards/north/overlays/making-a-referral.md", NORTH_OVERLAY)
    project.write("boards/north/pages/contacts.md", chapter("North Contacts", "Ring {{ board.contacts.front_door.phone }}.\n\nNORTHONLYPHRASE\n"))
    project.write("boards/south/board.yml", board_yml("South Partnership", "South", "222", email=False))
    project.write("boards/south/overlays/principles.md", "::: end-of #everyone\nSOUTH-LOCAL\n:::\n")
    project.write("boards/south/pages/training.md", chapter("South Training", "SOUTHONLYPHRASE\n"))
    return project


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_combined_site_holds_every_boards_blocks_hidden_with_a_selector_top_and_bottom(manual: Project) -> None:
    manual.build()
    page = soup(manual.html("responding/referrals/"))
    blocks = page.select("article .procedures-local")
    assert [(b["data-board"], b.has_attr("hidden")) for b in blocks] == [("north", True)] * 4
    selectors = page.select("article .procedures-boards")
    assert len(selectors) == 2
    assert [o["value"] for o in selectors[0].select("option")] == ["", "north", "south"]
    label = selectors[0].select_one("label")
    assert label is not None and label.get_text() == "Please select a board to see additional information:"
    noscript = selectors[0].select_one("noscript")
    assert noscript is not None
    assert re.findall(r'href="([^"]+)"', str(noscript)) == ["../../north/responding/referrals/", "../../south/responding/referrals/"]
    value = page.select_one(".procedures-value[data-value='contacts.front_door.phone']")
    assert value is not None
    assert [(s.get("data-board"), s.get_text()) for s in value.select("span")] == [
        (None, "your local number"), ("north", "01632 960111"), ("south", "01632 960222")
    ]
    # Board names from board.yml are text, never markup.
    assert "North &lt;Safeguarding&gt; Partnership" in str(selectors[0])


def test_blocks_stand_where_their_positions_say(manual: Project) -> None:
    manual.build()
    text = soup(manual.html("north/responding/referrals/")).select_one("article").get_text(" ")  # type: ignore[union-attr]
    order = ["When to refer", "NORTH-END-OF", "NORTH-BEFORE", "How to refer", "NORTH-AFTER", "Use the form.",
             "What happens next", "We reply.", "NORTH-LAST"]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_a_board_site_shows_only_its_own_blocks_its_values_and_its_name(manual: Project) -> None:
    manual.build()
    north = soup(manual.html("north/responding/referrals/"))
    blocks = north.select("article .procedures-local")
    assert len(blocks) == 4 and all(not b.has_attr("hidden") for b in blocks)
    title = blocks[2].select_one(".procedures-local__title")
    assert title is not None and title.get_text(" ", strip=True) == "Local North's own form"
    assert "NORTH-AFTER uses door@north.example.org" in blocks[2].get_text()
    assert "Call 01632 960111." in north.get_text()
    assert north.select("article .procedures-boards") == []
    assert north.title is not None and north.title.get_text() == "Making a Referral - North: Test Procedures"
    header = north.select_one(".md-header__topic")
    assert header is not None and header.get_text(strip=True) == "North: Test Procedures"
    stamp = north.select_one(".procedures-stamp__board")
    assert stamp is not None and stamp.get_text() == "Includes the local information of North <Safeguarding> Partnership."
    assert f"({SITE_URL}north/responding/referrals/)" in north.select_one(".procedures-stamp__printed").get_text()  # type: ignore[union-attr]
    south = soup(manual.html("south/responding/referrals/"))
    assert south.select("article .procedures-local") == []
    assert "Call 01632 960222." in south.get_text()
    # The regional site is unchanged by the boards' sites.
    assert soup(manual.html("intro/principles/")).select_one(".md-header__topic").get_text(strip=True) == "Test Procedures"  # type: ignore[union-attr]


def test_board_only_pages_join_that_boards_navigation_only(manual: Project) -> None:
    manual.build()
    def nav_titles(url: str) -> list[str]:
        """What the navigation shows: every board's section is there, hidden unless it is the page's board."""
        page = soup(manual.html(url))
        for hidden in page.select(".md-nav--primary li[hidden]"):
            assert hidden["data-procedures-board"] in ("north", "south")
            hidden.decompose()
        return [a.get_text(strip=True) for a in page.select(".md-nav--primary .md-nav__link")]
    north_nav = nav_titles("north/intro/principles/")
    assert "North local information" in north_nav and "North Contacts" in north_nav
    assert "South Training" not in north_nav
    assert "North Contacts" not in nav_titles("intro/principles/")
    contacts = soup(manual.html("north/contacts/"))
    assert "Ring 01632 960111." in contacts.get_text()
    page = soup(manual.html("north/intro/principles/"))
    for hidden in page.select(".md-nav--primary li[hidden]"):
        hidden.decompose()
    links = [a["href"] for a in page.select(".md-nav--primary a.md-nav__link[href]")]
    resolved = {urljoin("https://x/north/intro/principles/", href) for href in links}
    assert all(url.startswith("https://x/north/") for url in resolved), resolved


def test_board_names_are_text_in_the_header_and_navigation(manual: Project) -> None:
    manual.write("boards/east/board.yml", board_yml("East", "East", "333").replace(
        "short_name: East", "short_name: East & <i>West</i>"))
    manual.write("boards/east/pages/notes.md", chapter("East Notes", "Notes.\n"))
    manual.build()
    east = manual.html("east/intro/principles/")
    assert "East &amp; &lt;i&gt;West&lt;/i&gt;: Test Procedures" in east
    assert "<i>West</i>" not in east
    page = soup(east)
    section = page.select_one('.md-nav--primary li[data-procedures-board="east"]')
    assert section is not None and not section.has_attr("hidden")
    assert section.get_text(" ", strip=True).startswith("East & <i>West</i> local information")
    hidden = soup(manual.html("north/intro/principles/")).select_one('li[data-procedures-board="east"]')
    assert hidden is not None and hidden.has_attr("hidden")


def test_each_site_has_its_own_search_index(manual: Project) -> None:
    site = manual.build()
    regional = json.loads((site / "search" / "search_index.json").read_text())
    north = json.loads((site / "north" / "search" / "search_index.json").read_text())
    def texts(index: dict[str, list[dict[str, str]]]) -> str:
        return " ".join(doc["text"] for doc in index["docs"])
    assert "NORTHONLYPHRASE" in texts(north) and "SOUTHONLYPHRASE" not in texts(north)
    assert "NORTHONLYPHRASE" not in texts(regional)
    assert all(not doc["location"].startswith("north/") for doc in north["docs"])
    assert any(doc["location"].startswith("contacts/") for doc in north["docs"])
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', manual.html("north/contacts/"), re.S)
    assert config is not None
    assert urljoin("https://x/north/contacts/", json.loads(config.group(1))["base"]) == "https://x/north/"


def test_search_finds_chapters_not_what_every_page_carries(manual: Project) -> None:
    site = manual.build()
    regional = json.loads((site / "search" / "search_index.json").read_text())
    texts = " ".join(doc["text"] for doc in regional["docs"])
    # The chapter's own words are found; the stamp, the board picker and "Last amended" on every page
    # are not, or a search for "printed", "board" or "amended" would list every chapter.
    assert "correct as printed" in manual.html("responding/referrals/")
    assert "Last amended" in manual.html("responding/referrals/")
    assert "correct as printed" not in texts and "Last amended" not in texts
    assert "select a board" not in texts.lower()
    assert any(doc["location"].startswith("responding/referrals/") and doc["text"] for doc in regional["docs"])


def test_the_sitemap_lists_every_page_of_every_site_once(manual: Project) -> None:
    site = manual.build()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = sorted(re.findall(r"<loc>([^<]*)</loc>", sitemap))
    folders = [path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")]
    pages = sorted(SITE_URL + ("" if folder == "." else folder + "/") for folder in folders
                   if not folder.startswith(("changes", "check")) and "/changes/" not in folder)
    assert listed == pages
    assert f"{SITE_URL}north/responding/referrals/" in listed and len(listed) == len(set(listed))
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_board_contents_page_lists_the_boards_own_pages(manual: Project) -> None:
    manual.build()
    article = soup(manual.html("north/contents/")).select_one("article")
    assert article is not None
    assert [h2.get_text().rstrip("¶") for h2 in article.select("h2:not(#procedures-amendments-heading)")] == [
        "Introduction", "Responding", "North local information"]


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (lambda m: m.write("boards/north/overlays/making-a-refferal.md", "::: end\nX\n:::\n"),
         "boards/north/overlays/making-a-refferal.md:1: board `north`: no regional chapter has the id "
         "`making-a-refferal`; did you mean `making-a-referral`?"),
        (lambda m: m.write("boards/north/overlays/making-a-referral.md", "\n::: after #how-to-refr\nX\n:::\n"),
         "boards/north/overlays/making-a-referral.md:2: anchor `#how-to-refr` not found in docs/responding/referrals.md; "
         "did you mean `how-to-refer`?"),
        (lambda m: m.write("boards/north/overlays/making-a-referral.md", "::: under #how-to-refer\nX\n:::\n"),
         "boards/north/overlays/making-a-referral.md:1: unknown position `under`; expected one of `after`, `before`, "
         "`end`, `end-of`"),
        (lambda m: m.write("boards/north/pages/intro/principles.md", chapter("Shadow")),
         "boards/north/pages/intro/principles.md: board `north`: this board-only page would hide the regional page "
         "docs/intro/principles.md"),
        (lambda m: m.write("boards/south/board.yml", board_yml("South", "South", "222").replace("website: https://south.example.org/\n", "")),
         "boards/south/board.yml:1: board `south`: field `website`: is required"),
        (lambda m: m.write("boards/south/overlays/principles.md", "::: end\nMail {{ board.contacts.front_door.email }}\n:::\n"),
         "boards/south/overlays/principles.md:2: board value `contacts.front_door.email` is not defined in "
         "boards/south/board.yml and has no regional default"),
        (lambda m: m.write("docs/intro/principles.md", chapter("Core Principles", "## Everyone\n\n{{ board.contacts.mash.phone }}\n")),
         "docs/intro/principles.md:7: board value `contacts.mash.phone` has no regional default"),
        (lambda m: m.write("boards/intro/board.yml", board_yml("Intro", "Intro", "333")),
         "boards/intro: board `intro`: its id collides with the regional path `/intro/`; rename the board's folder"),
    ],
)
def test_bad_board_input_fails_the_build_naming_board_file_and_line(manual: Project, mistake: object, expected: str) -> None:
    mistake(manual)  # type: ignore[operator]
    errors = manual.build_errors()
    assert expected in errors, errors


def test_a_file_nothing_publishes_is_a_warning_not_silently_dropped(manual: Project) -> None:
    manual.write("boards/north/notes.txt", "remember to update")
    assert "boards/north/notes.txt: board `north`: this file is not published" in manual.build_errors()


def test_the_demo_manual_has_nine_boards_each_with_local_blocks_and_pages(demo_site: object) -> None:
    from .conftest import REPO_ROOT

    boards = sorted(path.name for path in (REPO_ROOT / "boards").iterdir() if path.is_dir())
    assert len(boards) == 9
    for board in boards:
        assert len(list((REPO_ROOT / "boards" / board / "overlays").glob("*.md"))) >= 5, board
        assert len(list((REPO_ROOT / "boards" / board / "pages").glob("*.md"))) >= 2, board
        assert (demo_site / board / "index.html").is_file()  # type: ignore[operator]


RICH_BLOCK = """\
::: end-of #when-to-refer "North's details"
| Service | Number |
| --- | --- |
| Door | {{ board.contacts.front_door.phone }} |

!!! note "Out of hours"
    Ring the **emergency** team.

```text
Referral form: section <B>
```

See [core principles](../intro/principles.md#everyone), the [form](https://forms.example.org/refer?a=1&b=2),
and ![the route](../img/route.png "Route").

<details><summary>More</summary>Kept as written.</details>
:::
"""


def test_a_rich_block_keeps_tables_admonitions_code_links_and_images(manual: Project) -> None:
    manual.config["markdown_extensions"] = [*manual.config["markdown_extensions"], "pymdownx.details"]
    manual.write("boards/north/overlays/making-a-referral.md", RICH_BLOCK)
    manual.write("docs/img/route.png", "png")
    manual.build()
    # On North's copy, a page's link goes to North's copy of it; an image stays the site's one.
    for url, image_root in (("responding/referrals/", "../../"), ("north/responding/referrals/", "../../../")):
        box = soup(manual.html(url)).select_one('article .procedures-local[data-board="north"]')
        assert box is not None, url
        assert [cell.get_text() for cell in box.select("td")] == ["Door", "01632 960111"]
        assert box.select_one("div.admonition.note p.admonition-title").get_text() == "Out of hours"  # type: ignore[union-attr]
        assert box.select_one("pre code").get_text() == "Referral form: section <B>\n"  # type: ignore[union-attr]
        links = {a.get_text(): a["href"] for a in box.select("a")}
        assert links["core principles"] == "../../intro/principles/#everyone"
        assert links["form"] == "https://forms.example.org/refer?a=1&b=2"
        image = box.select_one("img")
        assert image is not None and image["src"] == f"{image_root}img/route.png" and image["alt"] == "the route"
        assert box.select_one("details summary").get_text() == "More"  # type: ignore[union-attr]


def test_a_broken_link_in_a_block_is_reported_as_the_pages_own_are(manual: Project) -> None:
    manual.write("boards/north/overlays/making-a-referral.md",
                 "::: end\nSee [gone](../intro/gone.md) and [bad anchor](../intro/principles.md#nowhere).\n:::\n")
    errors = manual.build_errors()
    assert "contains a link '../intro/gone.md', but the target 'intro/gone.md' is not found" in errors
    assert "'../intro/principles.md#nowhere', but the doc 'intro/principles.md' does not contain an anchor" in errors
