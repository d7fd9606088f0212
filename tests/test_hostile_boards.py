"""A hostile board admin: everything Walsall's admins write in `boards/walsall/` stays in Walsall's boxes,
pages and site, runs no script anywhere, and moves no regional anchor. Each attack is either neutralised
(these builds pass, and the output is checked) or refused with the file, the line and what is allowed."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from mkdocs_procedures.core.boards import Board
from mkdocs_procedures.core.problems import Severity
from mkdocs_procedures.core.region import _unexpected_files
from mkdocs_procedures.core.site_layout import BOARD_SITE_NAMES
from mkdocs_procedures.core.source_files import _relative
from mkdocs_procedures.render.markup import value_html

from .conftest import Project, chapter, serve
from .paper import read_sheets, squash

REFERRALS = """\
Intro.

## When to refer

Refer when worried. Call {{ board.contacts.front_door.phone }} ({{ board.contacts.front_door.hours }}).

## How to refer

Use the form.

## What happens next

We reply.
"""

HOSTILE_OVERLAY = """\
::: after #how-to-refer "Walsall <img src=x onerror=alert('block-title')>"
WALSALL-ONE <!--/procedures-local:walsall--><p>FORGED-OUTSIDE</p><!--procedures-local:dudley--><p>FORGED-DUDLEY</p>
:::

::: end-of #when-to-refer
WALSALL-TWO <script>alert('script')</script> <img src="x" onerror="alert('img')"> [link](javascript:alert('link'))
<svg onload="alert('svg')"></svg><iframe src="https://evil.example.org/"></iframe><form><input name=x></form>
<a href="#" onclick="alert('click')" style="position:fixed;top:0">over everything</a>
:::

::: end
WALSALL-THREE
</div></div><p>BROKEN-OUT</p><div><div>

<p id="how-to-refer">WALSALL-ID</p>

WALSALL-ATTR
{: #what-happens-next }

<!--procedures:stamp-->FORGED-STAMP<!--/procedures:stamp-->
<span class="procedures-value__local" data-board="dudley" hidden>FORGED-VALUE</span>
:::
"""

HOSTILE_PAGE = """\
---
title: "Contacts <img src=x onerror=alert('page-title')>"
---

WALSALL-PAGE <script>alert('page-script')</script> <a href="javascript:alert('page-link')">x</a>

## Office hours

<b onmouseover="alert('page-bold')">hover</b>

## Hours <img src=x onerror=alert('toc')> {: onclick="alert('toc-attr')" }

Text.
"""

MARKERS = ("WALSALL-ONE", "WALSALL-TWO", "WALSALL-THREE", "FORGED-OUTSIDE", "FORGED-DUDLEY", "BROKEN-OUT",
           "WALSALL-ID", "WALSALL-ATTR", "FORGED-STAMP", "FORGED-VALUE", "WALSALL-PAGE", "WALSALL-HOURS")


def board_yml(name: str, short: str, number: str, hours: str = "9 to 5") -> str:
    return (
        f"name: {json.dumps(name)}\nshort_name: {json.dumps(short)}\nwebsite: https://{short.lower()}.example.org/\n"
        f"contacts:\n  front_door:\n    label: {short} front door\n    phone: 01632 960{number}\n"
        f"    hours: {json.dumps(hours)}\n"
        f"admins:\n  - name: {short} lead\n    email: lead@{short.lower()}.example.org\n"
    )


def hostile_manual(project: Project, with_blocks: bool = True) -> Project:
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"},
                             {"Responding to concerns": ["responding/referrals.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "pdf": True, "regional_values": {
        "contacts.front_door.phone": "your local number", "contacts.front_door.hours": "office hours"}})
    project.write_pages({"responding/referrals.md": chapter("Referrals", REFERRALS)})
    project.write("boards/walsall/board.yml", board_yml(
        "Walsall <b onmouseover=alert('name')>Board</b>", "Walsall", "301",
        hours="WALSALL-HOURS [call](javascript:alert('hours')) <svg/onload=alert('hours')> *x* `y`"))
    project.write("boards/dudley/board.yml", board_yml("Dudley Partnership", "Dudley", "401"))
    project.write("boards/dudley/overlays/referrals.md", "::: end\nDUDLEY-OWN\n:::\n")
    if with_blocks:
        project.write("boards/walsall/overlays/referrals.md", HOSTILE_OVERLAY)
    project.write("boards/walsall/pages/contacts.md", HOSTILE_PAGE)
    project.write("mkdocs.yml", "")
    project.commit("Publish", "2026-01-05T10:00:00+00:00")
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("hostile") / "manual")
    project.root.mkdir()
    project.write_pages({"index.md": chapter("Home", "Welcome.\n"), "contents.md": chapter("Contents", "All.\n")})
    return hostile_manual(project).build()


def _pages(site: Path) -> Iterator[tuple[Path, BeautifulSoup]]:
    for path in sorted(site.rglob("*.html")):
        yield path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _scripting(soup: BeautifulSoup) -> list[str]:
    """Everything in a page that would run a board's script: script text, event handlers, script links."""
    found = [f"<script> {script.get_text()[:60]}" for script in soup.find_all("script")
             if "alert(" in script.get_text()]
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or text.strip().lower().startswith("javascript:"):
                found.append(f"<{element.name} {name}={text[:60]}>")
        if element.name in ("iframe", "object", "embed"):
            found.append(f"<{element.name}>")
    return found


def test_no_script_or_event_handler_from_board_content_survives_on_any_page(hostile_site: Path) -> None:
    found = {path.relative_to(hostile_site).as_posix(): scripting
             for path, soup in _pages(hostile_site) if (scripting := _scripting(soup))}
    assert found == {}


def test_nothing_from_walsall_appears_outside_walsalls_own_boxes_pages_and_site(hostile_site: Path) -> None:
    for path, soup in _pages(hostile_site):
        relative = path.relative_to(hostile_site).as_posix()
        if relative.startswith("walsall/"):
            continue
        for marker in MARKERS:
            for text in soup.find_all(string=re.compile(marker)):
                box = text.find_parent("div", class_="procedures-local")
                value = text.find_parent("span", class_="procedures-value__local")
                owner = box if box is not None else value
                assert owner is not None and owner.get("data-board") == "walsall", f"{marker} in {relative}"
                assert owner.has_attr("hidden"), f"{marker} shown on {relative}"
                assert not relative.startswith("dudley/"), f"{marker} on Dudley's site: {relative}"


def test_walsalls_own_text_still_shows_on_walsalls_site_as_text(hostile_site: Path) -> None:
    page = BeautifulSoup((hostile_site / "walsall/responding/referrals/index.html").read_text(), "html.parser")
    boxes = page.select('div.procedures-local[data-board="walsall"]')
    text = " ".join(box.get_text(" ") for box in boxes)
    for marker in ("WALSALL-ONE", "WALSALL-TWO", "WALSALL-THREE", "BROKEN-OUT", "WALSALL-ID", "WALSALL-ATTR"):
        assert marker in text
    assert all(not box.has_attr("hidden") for box in boxes)
    assert any("Walsall <img src=x onerror=alert('block-title')>" in box.get_text() for box in boxes)  # as text
    assert "FORGED-DUDLEY" not in (hostile_site / "dudley/responding/referrals/index.html").read_text()
    own_contents = (hostile_site / "walsall/contents/index.html").read_text()
    assert "local information of Walsall &lt;b onmouseover=alert(&#39;name&#39;)&gt;Board&lt;/b&gt;." in own_contents
    contacts = (hostile_site / "walsall/contacts/index.html").read_text()
    assert "WALSALL-PAGE" in contacts and "Contacts &lt;img src=x onerror=alert('page-title')&gt;" in contacts


def _anchors(html: str) -> list[str]:
    article = BeautifulSoup(html, "html.parser").find("article")
    assert isinstance(article, Tag)
    return [str(element["id"]) for element in article.find_all(id=True)]


def test_board_blocks_move_no_regional_anchor(hostile_site: Path, tmp_path: Path) -> None:
    project = Project(tmp_path / "manual")
    project.root.mkdir()
    project.write_pages({"index.md": chapter("Home", "Welcome.\n"), "contents.md": chapter("Contents", "All.\n")})
    plain = hostile_manual(project, with_blocks=False).build()
    for page in ("responding/referrals/index.html", "dudley/responding/referrals/index.html",
                 "walsall/responding/referrals/index.html"):
        with_blocks = _anchors((hostile_site / page).read_text())
        assert with_blocks == _anchors((plain / page).read_text()), page
        assert {"when-to-refer", "how-to-refer", "what-happens-next"} <= set(with_blocks)


def test_search_indexes_hold_board_text_as_text(hostile_site: Path) -> None:
    for index_file in hostile_site.rglob("search_index.json"):
        for document in json.loads(index_file.read_text())["docs"]:
            for field in ("title", "text"):
                soup = BeautifulSoup(document.get(field, ""), "html.parser")
                assert _scripting(soup) == [], f"{index_file.relative_to(hostile_site)}: {document[field][:80]}"
                assert soup.find("img") is None and soup.find("b") is None, document[field][:80]


@pytest.mark.browser
def test_a_search_for_the_injected_text_runs_no_script(hostile_site: Path, page: object) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    for url in serve(hostile_site):
        for site in ("", "walsall/", "dudley/"):
            page.goto(f"{url}{site}responding/referrals/?board=walsall")  # type: ignore[attr-defined]
            search = page.locator("input.md-search__input")  # type: ignore[attr-defined]
            search.click()
            page.wait_for_function(  # type: ignore[attr-defined]
                "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')")
            for query in ("WALSALL", "onerror", "Contacts", "hours"):
                search.fill("")
                search.press_sequentially(query)
                page.wait_for_timeout(300)  # type: ignore[attr-defined]
                found[site + query] = page.inner_text(".md-search-result")  # type: ignore[attr-defined]
            page.goto(f"{url}{site}contacts/")  # type: ignore[attr-defined]
            page.wait_for_timeout(200)  # type: ignore[attr-defined]
    assert dialogs == []
    # Walsall's blocks and page are found on Walsall's site, their HTML shown as text.
    assert "Walsall <b onmouseover=alert('name')>Board</b>" in found["walsall/WALSALL"]
    assert "Contacts <img src=x onerror=alert('page-title')>" in found["walsall/Contacts"]
    assert "WALSALL" not in found["dudley/WALSALL"].replace("No matching documents", "")


@pytest.fixture
def small(project: Project) -> Project:
    """A manual with one chapter and boards Walsall and Dudley, no blocks."""
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"},
                             {"Responding to concerns": ["responding/referrals.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "amendments_dir": "amendments", "regional_values": {
        "contacts.front_door.phone": "your local number", "contacts.front_door.hours": "office hours"}})
    project.write_pages({"responding/referrals.md": chapter("Referrals", REFERRALS)})
    project.write("boards/walsall/board.yml", board_yml("Walsall Partnership", "Walsall", "301"))
    project.write("boards/dudley/board.yml", board_yml("Dudley Partnership", "Dudley", "401"))
    project.write("amendments/old.yml", "- {chapter: referrals, details: Old change, date: 2019-01-02}\n")
    return project


ALIAS_BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
              "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n")


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("boards/walsall/board.yml", board_yml("Walsall", "Walsall", "301") + ALIAS_BOMB,
     "boards/walsall/board.yml:13: board `walsall`: `b.0` repeats the value anchored on line 12 through an alias "
     "(`*name`); aliases are not allowed"),
    ("amendments/bomb.yml", "- &r {chapter: referrals, details: x, date: 2019-01-02}\n- *r\n",
     "amendments/bomb.yml:1: `1` repeats the value anchored on line 1 through an alias"),
    ("boards/walsall/board.yml", board_yml("Walsall", "Walsall", "301") + "name: Again\n",
     "boards/walsall/board.yml:12: board `walsall`: `name` is written twice (first on line 1); expected each key once"),
    ("boards/walsall/pages/local.md", "---\ntitle: A\ntitle: B\n---\n\nText.\n",
     "boards/walsall/pages/local.md:3: front matter: `title` is written twice (first on line 2)"),
    ("boards/walsall/pages/big.md", "---\ntitle: Big\n---\n\n" + "x" * (1024 * 1024 + 1),
     "boards/walsall/pages/big.md: this file is 1.0 MiB; expected at most 1 MiB"),
    ("boards/print/board.yml", board_yml("Print", "Print", "501"),
     "boards/print: board `print`: the site's own `/print/` takes this name"),
    ("boards/walsall/pages/amendments.md", chapter("Amendments", "Ours.\n"),
     "boards/walsall/pages/amendments.md: board `walsall`: the board's site makes its own `/walsall/amendments/`"),
    ("boards/walsall/pages/changes.md", chapter("Changes", "Ours.\n"),
     "boards/walsall/pages/changes.md: board `walsall`: the board's site makes its own `/walsall/changes/`"),
    ("boards/walsall/pages/editions.md", chapter("Editions", "Ours.\n"),
     "boards/walsall/pages/editions.md: board `walsall`: the board's site makes its own `/walsall/editions/`"),
    ("boards/walsall/pages/print/index.md", chapter("Print", "Ours.\n"),
     "boards/walsall/pages/print/index.md: board `walsall`: the board's site makes its own `/walsall/print/`"),
    ("boards/walsall/pages/nul.md", '---\ntitle: "Contacts\\u0000 \\e[31m"\n---\n\nOurs.\n',
     "boards/walsall/pages/nul.md:2: field `title`: expected text without control characters, found U+0000"),
    ("boards/.hidden/board.yml", board_yml("Hidden", "Hidden", "601"),
     "boards/.hidden: a hidden folder is not a board and is not published"),
    ("boards/notes.txt", "remember", "boards/notes.txt: this file is not published"),
    ("boards/walsall/.secret.md", "x", "boards/walsall/.secret.md: board `walsall`: a hidden file is not published"),
])
def test_hostile_files_are_refused_naming_the_file_and_line(small: Project, path: str, text: str, expected: str) -> None:
    small.write(path, text)
    small.commit("Add")
    errors = small.build_errors()
    assert expected in errors, errors


@pytest.mark.parametrize("name", sorted(BOARD_SITE_NAMES))
def test_a_board_page_may_not_take_any_name_the_boards_site_makes(small: Project, name: str) -> None:
    """Every name the build writes at a board's site's root (feeds, privacy, accessibility, review.json, ...)."""
    small.write(f"boards/walsall/pages/{name}.md", chapter("Ours", "Ours.\n"))
    small.commit("Add")
    errors = small.build_errors()
    assert (f"boards/walsall/pages/{name}.md: board `walsall`: the board's site makes its own "
            f"`/walsall/{name}/`") in errors, errors


def test_a_symlink_in_a_board_never_publishes_the_file_it_points_at(small: Project, tmp_path: Path) -> None:
    secret = tmp_path / "outside.md"
    secret.write_text("---\ntitle: Secret\n---\n\nSECRET-OF-THE-BUILD-MACHINE\n")
    (small.root / "boards/walsall/pages").mkdir(parents=True)
    (small.root / "boards/walsall/pages/secret.md").symlink_to(secret)
    (small.root / "boards/walsall/linked").symlink_to(tmp_path, target_is_directory=True)
    small.commit("Link")
    errors = small.build_errors()
    assert ("boards/walsall/pages/secret.md: this file is a symbolic link or inside one; the build reads only the "
            "repository's own files") in errors
    assert "boards/walsall/linked: board `walsall`: this folder is a symbolic link" in errors
    assert not (small.site / "walsall/secret/index.html").exists()
    (small.root / "docs/linked.md").symlink_to(secret)
    assert "docs/linked.md: this file is a symbolic link" in small.build_errors()
    assert "SECRET-OF-THE-BUILD-MACHINE" not in "".join(
        path.read_text(errors="replace") for path in small.site.rglob("*.html"))


def test_a_folder_made_a_link_between_two_builds_in_one_process_is_refused(small: Project, tmp_path: Path) -> None:
    """Folders are resolved once per build (`mkdocs serve` rebuilds in one process): the second build sees
    the link the first did not, for a board's page and for a regional chapter."""
    pages = {"boards/walsall/pages/local": "guide.md", "docs/extra": "regional-guide.md"}
    for folder, name in pages.items():
        small.write(f"{folder}/{name}", chapter("Guide", "Our guide.\n"))
        outside = tmp_path / folder
        outside.mkdir(parents=True)
        (outside / name).write_text("---\ntitle: Guide\n---\n\nSECRET-OF-THE-BUILD-MACHINE\n")
    small.commit("Add guides")
    site = small.build(strict=False)  # the regional guide is left out of the navigation
    assert "Our guide." in (site / "walsall/local/guide/index.html").read_text()
    expected = {"boards/walsall/pages/local": "boards/walsall/pages/local: board `walsall`: this folder is a symbolic "
                                              "link or inside one; the build reads only the repository's own files",
                "docs/extra": "docs/extra/regional-guide.md: this file is a symbolic link or inside one; the build "
                              "reads only the repository's own files"}
    for folder in pages:  # one at a time: the regional error stops the build before the boards are read
        shutil.rmtree(small.root / folder)
        (small.root / folder).symlink_to(tmp_path / folder, target_is_directory=True)
        errors = small.build_errors()
        assert expected[folder] in errors, errors
        assert "SECRET-OF-THE-BUILD-MACHINE" not in errors


SHEET_BREAKOUT = "Walsall</style><script>alert('sheet')</script>\"; } body { display: none } :root { x: \"\\"
SHEET_STYLE = re.compile(r':root \{ (?:--procedures-sheet-(?:site|board|stamp): "(?:[^"\\<]|\\[0-9a-f]{6})*"; ){3}\}')


@pytest.mark.browser
def test_a_board_name_cannot_break_out_of_the_sheets_margins(small: Project, page: object) -> None:
    """A board's name goes into the printed sheets' margins through CSS in each page's head: as text only."""
    small.write("boards/walsall/board.yml", board_yml(SHEET_BREAKOUT, "Walsall", "301"))
    small.commit("Name")
    site = small.build()
    styles = [(path.relative_to(site).as_posix(), style.get_text()) for path, soup in _pages(site)
              for style in soup.select("style.procedures-sheet")]
    assert len(styles) >= 6 and all(SHEET_STYLE.fullmatch(text) for _, text in styles), styles
    assert not any(_scripting(soup) for _, soup in _pages(site))
    for url in serve(site):
        for address in ("walsall/responding/referrals/", "responding/referrals/?board=walsall"):
            page.goto(url + address)  # type: ignore[attr-defined]
            pdf = page.pdf(prefer_css_page_size=True)  # type: ignore[attr-defined]
            for sheet in read_sheets(PdfReader(io.BytesIO(pdf))):
                assert sheet.top == squash(f"Test Procedures {SHEET_BREAKOUT}"), (address, sheet.top)


@pytest.mark.parametrize(("path", "value", "expected"), [
    ("contacts.front_door.phone", "01632 960301", '<a class="procedures-value" href="tel:01632960301">x</a>'),
    ("contacts.front_door.phone", "javascript:alert(1)", '<span class="procedures-value">x</span>'),
    ("contacts.front_door.phone", "0163 2\"onclick=alert(1)//960301", '<a class="procedures-value" href="tel:01632196030'
                                                                      '1">x</a>'),
    ("contacts.front_door.email", 'a@b.org" onclick="alert(1)', '<span class="procedures-value">x</span>'),
    ("contacts.front_door.email", "a@b.org", '<a class="procedures-value" href="mailto:a@b.org">x</a>'),
    ("contacts.front_door.label", "01632 960301", '<span class="procedures-value">x</span>'),
])
def test_a_board_value_becomes_a_link_only_to_call_or_write(path: str, value: str, expected: str) -> None:
    """A phone number's link is made of its digits only, an e-mail address's only of a plain address."""
    assert value_html(path, value, "x") == expected


@given(st.lists(st.sampled_from(["a", "b", "..", ".", "c.md", ""]), max_size=4),
       st.lists(st.sampled_from(["a", "b", "..", ".", "c.md", ""]), max_size=4), st.booleans())
def test_a_files_place_in_the_manual_is_found_as_path_finds_it(root: list[str], below: list[str], absolute: bool) -> None:
    """Whether a file is inside the manual's folder, and where, is worked out on the paths' text (every file
    is checked on every rebuild of `mkdocs serve`): the same answers as `Path.relative_to`."""
    start = "/" if absolute else ""
    root_path, source = Path(start + "/".join(root)), Path(start + "/".join(root + below))
    for folder, path in ((root_path, source), (source, root_path), (Path(start + "/".join(below)), source)):
        try:
            relative = path.relative_to(folder)
            expected: str | None = str(relative) if relative.parts else ""
        except ValueError:
            expected = None
        assert _relative(os.fspath(path), os.fspath(folder)) == expected


def test_every_file_in_a_boards_folder_that_nothing_reads_is_named_in_path_order(tmp_path: Path) -> None:
    """Hidden files, files in the wrong place or with the wrong suffix, links to folders (not followed),
    broken links: each named once, in the order of their paths; what the build reads is not named."""
    root, outside = tmp_path / "manual", tmp_path / "outside"
    folder = root / "boards" / "north"
    for name in ["board.yml", "overlays/a.md", "overlays/b.txt", "overlays/deep/c.md", "overlays/.hidden.md",
                 "overlays/x..md", "overlays/board.yml", "pages/p.md", "pages/sub/q.md", "pages/sub/r.txt",
                 "pages/.drafts/y.md", "pages/A.md", "pages/a.MD", "pages/sub2/.keep", "notes.txt", ".env",
                 ".git/config", "Overlays/z.md", "extra/deeper/file.md"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    (folder / "empty").mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text("s")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "pages/linked").symlink_to(outside, target_is_directory=True)
    (folder / "pages/link.md").symlink_to(outside / "secret.md")  # refused when read (the test above)
    (folder / "overlays/broken.md").symlink_to(outside / "missing.md")
    (folder / "broken").symlink_to(outside / "missing")
    board = Board("north", "North", "North", "https://north.example.org/", {}, (), config_path="boards/north/board.yml")
    unpublished = "this file is not published; expected `board.yml`, `overlays/<chapter-id>.md` or `pages/<name>.md`"
    hidden, linked = "a hidden file is not published", "this folder is a symbolic link or inside one"

    def said(message: str) -> str:
        """Which of the three messages (the link's goes on to say why), with the board named first."""
        assert message.startswith("board `north`: "), message
        return next((said for said in (unpublished, hidden, linked) if said in message), message)

    assert [(problem.path, said(problem.message), problem.severity)
            for problem in _unexpected_files(folder, root, board)] == [
        ("boards/north/.env", hidden, Severity.WARNING),
        ("boards/north/.git/config", unpublished, Severity.WARNING),
        ("boards/north/Overlays/z.md", unpublished, Severity.WARNING),
        ("boards/north/broken", unpublished, Severity.WARNING),
        ("boards/north/extra/deeper/file.md", unpublished, Severity.WARNING),
        ("boards/north/linked", linked, Severity.ERROR),
        ("boards/north/notes.txt", unpublished, Severity.WARNING),
        ("boards/north/overlays/.hidden.md", hidden, Severity.WARNING),
        ("boards/north/overlays/b.txt", unpublished, Severity.WARNING),
        ("boards/north/overlays/board.yml", unpublished, Severity.WARNING),
        ("boards/north/overlays/deep/c.md", unpublished, Severity.WARNING),
        ("boards/north/pages/a.MD", unpublished, Severity.WARNING),
        ("boards/north/pages/linked", linked, Severity.ERROR),
        ("boards/north/pages/sub/r.txt", unpublished, Severity.WARNING),
        ("boards/north/pages/sub2/.keep", hidden, Severity.WARNING),
    ]
