"""What changed, as readers see it: a manual with a real, dated history of every kind of change a
reader should be shown (board boxes added, edited and removed, a board's phone number, a link's
target, a code example, a list re-indented, a table row, a paragraph moved), built once; each view is
read as HTML and must show the change rendered, marked or named, with no Markdown or template source."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pypdf import PdfReader

from mkdocs_procedures.core.changes import word_diff

from .conftest import REPO_ROOT, SITE_URL, Project, chapter, serve
from .paper import read_sheets

REFERRALS = """\
Referrals start here.

## When to refer

Refer when a child may be at risk. See [early help](../specific/online.md) first.

Call {{ board.contacts.front_door.phone }}.

## Steps

1. Talk to the family.
2. Record what they say.
3. Tell your manager.

- First point
    - Nested point
- Second point

## Contacts

| Service | Phone |
| --- | --- |
| Front door | 01632 960100 |
| Police | 999 |

## Example

```text
subject: referral
priority: high
```

!!! warning "Urgent"
    Call at once when a child is in danger.

## Recording

Keep notes of every call.

Store them safely.
"""

BOARD = ("name: North Partnership\nshort_name: North\nwebsite: https://north.example.org/\n"
         "contacts:\n  front_door:\n    label: North hub\n    phone: {phone}\n"
         "admins:\n  - name: Lead\n    email: lead@north.example.org\n")
SCHOOLS = '::: end-of #when-to-refer "North schools"\nNorth schools ring the hub.\n:::\n'
ESCALATION = ('::: end-of #steps "North escalation"\n'
              "Escalate to the North duty manager on {{ board.contacts.front_door.phone }}.\n:::\n")

# (commit subject, files written) in the order they land, one day apart.
HISTORY: list[tuple[str, dict[str, str]]] = [
    ("Add the North escalation box", {"boards/north/overlays/referrals.md": SCHOOLS + "\n" + ESCALATION}),
    ("Edit the North schools box", {"boards/north/overlays/referrals.md":
                                    SCHOOLS.replace("the hub.", "the hub first.") + "\n" + ESCALATION}),
    ("Remove the North escalation box", {"boards/north/overlays/referrals.md":
                                         SCHOOLS.replace("the hub.", "the hub first.")}),
    ("New North number", {"boards/north/board.yml": BOARD.format(phone="01632 960112")}),
    ("Point early help at its own chapter", {"docs/responding/referrals.md": chapter(
        "Referrals", REFERRALS.replace("../specific/online.md", "../specific/help.md"))}),
]


def later(text: str) -> str:
    """The chapter after the link change, with `text` edits on top (each commit keeps the ones before)."""
    return text.replace("../specific/online.md", "../specific/help.md")


STEPS: list[tuple[str, str]] = [
    ("Change the code example", later(REFERRALS).replace("priority: high", "priority: urgent")),
]
STEPS.append(("Re-indent the lists", STEPS[-1][1].replace("1. Talk", "1.  Talk").replace("    - Nested", "\t- Nested")))
STEPS.append(("Police non-emergency number", STEPS[-1][1].replace("| Police | 999 |", "| Police | 101 |")))
STEPS.append(("Move the note on notes", STEPS[-1][1].replace("Keep notes of every call.\n\n", "").replace(
    "Call {{ board.contacts.front_door.phone }}.\n", "Call {{ board.contacts.front_door.phone }}.\n\n"
    "Keep notes of every call.\n")))
STEPS.append(("A first step", STEPS[-1][1].replace("1.  Talk to the family.", "1. Check the child is safe.\n"
                                                   "2. Talk to the family.").replace("2. Record", "3. Record")
              .replace("3. Tell", "4. Tell")))
HISTORY += [(subject, {"docs/responding/referrals.md": chapter("Referrals", text)}) for subject, text in STEPS]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, BeautifulSoup]]:
    """The built site, and each amendment's what-changed view by its commit subject."""
    project = Project(tmp_path_factory.mktemp("changes") / "manual")
    project.root.mkdir()
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"},
                             {"Part": ["responding/referrals.md", "specific/online.md", "specific/help.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "regional_values": {
        "contacts.front_door.phone": "your local number"}})
    project.config["markdown_extensions"] += ["tables", "fenced_code"]
    project.write_pages({"index.md": chapter("Home", "Welcome.\n"), "contents.md": chapter("Contents", "All.\n"),
                         "responding/referrals.md": chapter("Referrals", REFERRALS),
                         "specific/online.md": chapter("Online Safety", "Text.\n"),
                         "specific/help.md": chapter("Early Help", "Text.\n")})
    project.write("boards/north/board.yml", BOARD.format(phone="01632 960111"))
    project.write("boards/north/overlays/referrals.md", SCHOOLS)
    project.write("mkdocs.yml", "")
    project.commit("Publish", "2026-01-05T10:00:00+00:00")
    for day, (subject, files) in enumerate(HISTORY, start=6):
        for path, text in files.items():
            project.write(path, text)
        project.commit(subject, f"2026-01-{day:02d}T10:00:00+00:00")
    site = project.build()
    records = json.loads((site / "amendments.json").read_text(encoding="utf-8"))
    views = {record["details"]: BeautifulSoup((site / record["changes"]).read_text(encoding="utf-8"), "html.parser")
             for record in records if record["changes"]}
    return site, views


def view(history: tuple[Path, dict[str, BeautifulSoup]], subject: str) -> Tag:
    found = history[1][subject].select_one(".procedures-changes")
    assert found is not None, subject
    return found


def section(change: Tag, title: str) -> Tag:
    for candidate in change.select("section.procedures-change"):
        heading = candidate.find("h2")
        if heading is not None and heading.get_text(" ", strip=True).startswith(title + " ("):
            return candidate
    raise AssertionError(f"no section {title!r} in {[h.get_text(' ', strip=True) for h in change.select('h2')]}")


def texts(element: Tag, selector: str) -> list[str]:
    return [re.sub(r"\s+", " ", found.get_text(" ")).strip() for found in element.select(selector)]


def marks(change: Tag) -> list[Tag]:
    """The words marked inserted or deleted, less the legend's examples."""
    return [mark for mark in change.select("ins, del") if not mark.find_parent(class_="procedures-changes__legend")]


def notes(element: Tag) -> list[str]:
    return texts(element, ".procedures-change__note")


def test_a_board_box_added_shows_in_its_section_as_the_boards_page_shows_it(history: Any) -> None:
    steps = section(view(history, "Add the North escalation box"), "Steps")
    [box] = steps.select(".procedures-local")
    assert texts(box, ".procedures-local__title") == ["Local North escalation"]
    assert texts(box, "ins") == ["Escalate to the North duty manager on 01632 960111."], "the board's number"
    assert len(view(history, "Add the North escalation box").select("section")) == 1, "only the changed section"


def test_a_board_box_edited_marks_its_words(history: Any) -> None:
    box = section(view(history, "Edit the North schools box"), "When to refer").select_one(".procedures-local")
    assert box is not None
    assert texts(box, "ins") == ["first"] and texts(box, "del") == []
    assert re.sub(r"\s+", " ", box.select("p")[-1].get_text()) == "North schools ring the hub first."


def test_a_board_box_removed_is_shown_deleted(history: Any) -> None:
    box = section(view(history, "Remove the North escalation box"), "Steps").select_one(".procedures-local")
    assert box is not None
    assert texts(box, "del") == ["Escalate to the North duty manager on 01632 960111."]


def test_a_board_value_changed_in_board_yml_is_shown_as_readers_see_it(history: Any) -> None:
    change = view(history, "New North number")
    rows = {row.th.get_text(strip=True): row for row in change.select("tbody tr") if row.th}
    assert list(rows) == ["Front door: phone"], "only what changed, named as readers know it"
    [row] = rows.values()
    assert texts(row, "del") == ["01632 960111"] and texts(row, "ins") == ["01632 960112"]


def test_a_link_pointed_elsewhere_is_named(history: Any) -> None:
    change = view(history, "Point early help at its own chapter")
    assert notes(section(change, "When to refer")) == [
        f"The link “early help” now points to {SITE_URL}specific/help/ (it pointed to {SITE_URL}specific/online/)."]


def test_a_code_example_changed_is_shown_as_code_line_by_line(history: Any) -> None:
    example = section(view(history, "Change the code example"), "Example")
    code = example.select_one("pre.procedures-change__code code")
    assert code is not None
    assert texts(code, "del") == ["\N{MINUS SIGN} priority: high"] and texts(code, "ins") == ["+ priority: urgent"]
    assert "subject: referral" in code.get_text()
    assert notes(example) == ["The code example changed."]


def test_a_list_reindented_is_named_formatting_only(history: Any) -> None:
    change = view(history, "Re-indent the lists")
    assert not marks(change)
    assert notes(change) == ["Formatting only (no wording changed): readers see the same chapter as before."]


def test_a_table_row_edited_is_shown_as_a_row_with_its_cell_marked(history: Any) -> None:
    contacts = section(view(history, "Police non-emergency number"), "Contacts")
    [row] = contacts.select("table.procedures-change__rows tr")
    assert [cell.get_text(" ", strip=True) for cell in row.find_all("td")] == ["Police", "999 101"]
    assert texts(row, "del") == ["999"] and texts(row, "ins") == ["101"]


def test_a_paragraph_moved_to_another_section_is_named_in_both(history: Any) -> None:
    change = view(history, "Move the note on notes")
    assert notes(section(change, "When to refer")) == ["Moved here from the section “Recording”."]
    assert notes(section(change, "Recording")) == ["Moved from here to the section “When to refer”."]
    assert not marks(change)


def test_a_step_added_keeps_the_lists_numbering(history: Any) -> None:
    steps = section(view(history, "A first step"), "Steps")
    items = steps.select("ol.procedures-change__list > li")
    assert [(item.get("value"), item.get_text(" ", strip=True)) for item in items] == \
        [("1", "Check the child is safe.")], "the steps after it are renumbered, not changed"
    assert texts(steps, "ins") == ["Check the child is safe."] and not notes(steps)


SOURCE = re.compile(r"\{\{|\{%|:::|^\s*[-*] |^\s*\d+\. |\|\s*-{3}|^\s*\|.*\|\s*$", re.MULTILINE)


def check_views(views: dict[str, BeautifulSoup]) -> None:
    for name, page in views.items():
        change = page.select_one(".procedures-changes")
        assert change is not None, name
        shown = change.get_text("\n")
        assert not SOURCE.search(shown), (name, SOURCE.search(shown))
        assert marks(change) or change.select(".procedures-change__note"), \
            f"{name}: nothing marked or named"
        for part in change.select("section.procedures-change"):
            assert part.select("ins, del, .procedures-change__note"), (name, part.h2)


def test_no_view_shows_source_and_every_view_marks_or_names_a_change(history: Any) -> None:
    assert len(history[1]) == len(HISTORY) + 1  # and the first commit's views
    check_views(history[1])


def test_every_view_of_the_demo_manual_shows_its_change_as_readers_see_it(demo_site: Path) -> None:
    views = {page.relative_to(demo_site).as_posix(): BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
             for page in sorted(demo_site.glob("**/changes/*.html"))}
    assert len(views) > 50
    check_views(views)
    contacts = views["dudley/changes/38c93ee251ab-local-contacts-dudley.html"]
    assert "01632 960201" in contacts.get_text(), "Dudley's own number, not the regional wording"


@given(st.lists(st.sampled_from(["the", "child", "safe.", "(now)", "“quoted”", "a,", "b;", "c"]), max_size=12),
       st.lists(st.sampled_from(["the", "child", "safe.", "(now)", "“quoted”", "a,", "b;", "c"]), max_size=12))
def test_marked_words_give_back_both_texts(before: list[str], after: list[str]) -> None:
    segments = word_diff(" ".join(before), " ".join(after))

    def text(kinds: set[str]) -> str:
        kept = [segment for segment in segments if segment.kind in kinds]
        return "".join((" " if segment.space and index else "") + segment.text for index, segment in enumerate(kept))

    assert text({"same", "deleted"}) == " ".join(before)
    assert text({"same", "inserted"}) == " ".join(after)


ATOM = "{http://www.w3.org/2005/Atom}"


def check_atom(feed: Path) -> list[str]:
    """The feed against RFC 4287's rules for a feed and its entries; its entries' ids, which must be unique."""
    root = ElementTree.parse(feed).getroot()
    assert root.tag == f"{ATOM}feed", feed

    def one(element: ElementTree.Element, name: str) -> str:
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, (feed, element.tag, name, len(found))
        return found[0].text or ""

    def date(text: str) -> None:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", text), (feed, text)
        dt.datetime.fromisoformat(text)

    assert urlsplit(one(root, "id")).scheme == "https" and one(root, "title")
    date(one(root, "updated"))
    assert root.findall(f"{ATOM}author/{ATOM}name"), "a feed names its author for entries without one"
    assert [link.get("href") for link in root.findall(f"{ATOM}link[@rel='self']")] == [one(root, "id")]
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        ids.append(one(entry, "id"))
        assert urlsplit(ids[-1]).scheme == "https" and one(entry, "title") and one(entry, "summary")
        date(one(entry, "updated"))
        assert entry.findall(f"{ATOM}link[@rel='alternate']"), (feed, ids[-1])
    assert len(ids) == len(set(ids)), (feed, [i for i in ids if ids.count(i) > 1][:3])
    return ids


def test_every_feed_is_atom_with_unique_entry_ids_the_same_in_every_build(demo_site: Path, tmp_path: Path) -> None:
    feeds = sorted(demo_site.glob("**/feed.xml"))
    assert len(feeds) == 10, "the regional and nine boards' feeds"
    first = {feed.relative_to(demo_site): check_atom(feed) for feed in feeds}
    assert all(first.values())
    again = tmp_path / "again"
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), strict=True, site_dir=str(again))
    build(config)
    assert {feed.relative_to(again): check_atom(feed) for feed in sorted(again.glob("feed.xml"))} == \
        {path: ids for path, ids in first.items() if str(path) == "feed.xml"}
    assert check_atom(again / "dudley" / "feed.xml") == first[Path("dudley/feed.xml")]


def test_every_page_links_its_sites_feed(demo_site: Path) -> None:
    # Not the print books (print/index.html), which are the PDFs' sources, when another test has made them.
    pages = [page for page in demo_site.glob("**/*.html") if not {"editions", "print"} & set(page.parts)]
    assert len(pages) > 200
    boards = {folder.name for folder in (REPO_ROOT / "boards").iterdir() if folder.is_dir()}
    for page in pages:
        path = page.relative_to(demo_site).as_posix()
        board = path.split("/", 1)[0] if path.split("/", 1)[0] in boards else None
        links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
            'head link[rel="alternate"][type="application/atom+xml"]')
        assert [link["href"] for link in links] == [f"{SITE_URL}{board}/feed.xml" if board else f"{SITE_URL}feed.xml"], path


@pytest.mark.browser
def test_marks_are_told_apart_without_colour_announced_and_printed_with_the_stamp(
        history: Any, page: Any) -> None:
    site, _ = history
    for url in serve(site):
        records = json.loads((site / "amendments.json").read_text(encoding="utf-8"))
        [record] = [r for r in records if r["details"] == "Police non-emergency number"]
        page.goto(url + record["changes"])
        inserted = page.locator(".procedures-change ins").first
        style = inserted.evaluate("""mark => { const s = getComputedStyle(mark);
            return [s.textDecorationLine, s.fontWeight, s.borderTopStyle,
                    getComputedStyle(mark, '::before').content, getComputedStyle(mark, '::after').content]; }""")
        assert style == ["none", "700", "solid", '" [inserted: "', '"] "'], "bold and boxed, not underlined"
        deleted = page.locator(".procedures-change del").first
        assert deleted.evaluate("mark => getComputedStyle(mark).textDecorationLine") == "line-through"
        assert deleted.evaluate("mark => getComputedStyle(mark, '::before').content") == '" [deleted: "'
        sheets = read_sheets(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))))
        for sheet in sheets:
            assert f"({SITE_URL}{record['changes']}) for updates." in sheet.foot, sheet.foot
            assert sheet.top == "Test Procedures"
        assert "999" in sheets[0].body and "101" in sheets[0].body


def test_a_heading_renamed_since_a_boards_change_leaves_the_change_in_its_view(manual: Project) -> None:
    """An earlier version of an overlay names a heading the chapter has since renamed: that change's view
    shows the board's box at the end of today's chapter, and the build goes on."""
    manual.write("boards/north/overlays/referrals.md", "::: end-of #when-to-refer\nNorth text, revised.\n:::\n")
    manual.commit("Revise the North box", "2026-02-05T10:00:00+00:00")
    manual.write("docs/responding/referrals.md", chapter("Referrals", "## Deciding to refer\n\nText.\n",
                                                         owner="Group A", next_review=dt.date(2026, 12, 1)))
    manual.write("boards/north/overlays/referrals.md", "::: end-of #deciding-to-refer\nNorth text, revised.\n:::\n")
    manual.commit("Rename the heading", "2026-03-05T10:00:00+00:00")
    site = manual.build()
    records = json.loads((site / "amendments.json").read_text(encoding="utf-8"))
    [revised] = [record for record in records if record["details"] == "Revise the North box"]
    change = BeautifulSoup((site / revised["changes"]).read_text(encoding="utf-8"), "html.parser")
    shown = change.select_one(".procedures-changes")
    assert shown is not None
    assert [mark.get_text() for mark in marks(shown)] == ["North text, revised.", "North text."]
    assert texts(shown, ".procedures-local") == ["Local North Partnership North text, revised.",
                                                 "Local North Partnership North text."]
