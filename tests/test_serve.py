"""`make serve` (`mkdocs serve --dirty`): an edit to a chapter or to a board's overlay is shown without
rebuilding the whole manual, and made files are rewritten only when their content changes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from mkdocs_procedures.core.amendments import Amendment
from mkdocs_procedures.core.boards import board_from_text
from mkdocs_procedures.core.region import Region
from mkdocs_procedures.machinery.kept_files import KeptFiles, forget_stale_outputs
from mkdocs_procedures.machinery.serving import DirtyServe, KeptAmendments
from mkdocs_procedures.render.output_files import write_output
from mkdocs_procedures.render.readers_copy import ReadersCopy

from .conftest import BOARD, Project, chapter


def test_a_kept_file_is_rewritten_only_when_its_content_changes(tmp_path: Path) -> None:
    kept = KeptFiles(tmp_path)
    file = kept.keep("north/amendments.md", "Amendments")
    os.utime(file, ns=(1, 1))
    kept.keep("north/amendments.md", "Amendments")
    assert file.stat().st_mtime_ns == 1, "the same content must leave the file as it was"
    kept.keep("north/amendments.md", "Amendments, one more")
    assert file.stat().st_mtime_ns > 1 and file.read_text() == "Amendments, one more"


def test_an_output_older_than_one_of_its_inputs_is_removed(tmp_path: Path) -> None:
    page, overlay, board = (tmp_path / name for name in ("index.html", "overlay.md", "board.yml"))
    for number, path in enumerate((overlay, page, board)):
        path.write_text("x")
        os.utime(path, ns=(10 + number, 10 + number))
    assert forget_stale_outputs([(page, [overlay])]) == [] and page.exists()
    assert forget_stale_outputs([(page, [overlay, board, tmp_path / "missing.md"])]) == [page]
    assert not page.exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, ready: Callable[[str], bool], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    page = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = response.read().decode()
            if ready(page):
                return page
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show the change in {timeout:.0f} s; last seen:\n{page[-800:]}")


class Served:
    """`mkdocs serve --dirty` of a manual: its address and, once stopped, what it logged."""

    def __init__(self, manual: Project) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                        cwd=manual.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        _, log = self.process.communicate(timeout=30)
        return log


@pytest.fixture
def serving(manual: Project) -> Iterator[Served]:
    manual.plugin_config()["pdf"] = True
    manual.write("mkdocs.yml", yaml.safe_dump(manual.config, sort_keys=False))
    server = Served(manual)
    try:
        yield server
    finally:
        print(server.stop()[-6000:])  # shown when the test fails


@pytest.fixture
def served(serving: Served) -> str:
    return serving.url


def test_serve_shows_edits_to_a_chapter_and_to_a_boards_overlay(manual: Project, served: str) -> None:
    wait_for(served + "responding/referrals/", lambda page: "When to refer" in page)
    assert "procedures-whole-manual" not in wait_for(served + "contents/", lambda page: True), \
        "serve makes no PDF, so the contents page must not link one"
    log = served + "amendments/"
    assert "Old change" in wait_for(log, lambda page: True)
    manual.write("docs/responding/referrals.md",
                 (manual.root / "docs/responding/referrals.md").read_text().replace("## When to refer",
                                                                                   "## When to refer\n\nRing first."))
    wait_for(served + "responding/referrals/", lambda page: "Ring first." in page)
    wait_for(served + "north/responding/referrals/", lambda page: "Ring first." in page)
    manual.write("boards/north/overlays/referrals.md", "::: end-of #when-to-refer\nNorth text, revised.\n:::\n")
    wait_for(served + "responding/referrals/", lambda page: "North text, revised." in page)
    wait_for(served + "north/responding/referrals/", lambda page: "North text, revised." in page)
    assert "Old change" in wait_for(log, lambda page: True), "the amendments log is still served"
    manual.write("amendments/old.yml", "- {chapter: referrals, details: Older change, date: 2019-01-02}\n")
    wait_for(log, lambda page: "Older change" in page)
    manual.build()
    assert "procedures-whole-manual" in manual.html("contents/"), "a build links the PDF that make site prints"


def test_serve_rebuilds_once_for_an_edit_and_shows_a_commit_with_its_view(manual: Project, serving: Served) -> None:
    """The server hears of changes from the system: the rebuild's own reading of the files must not start
    another rebuild. A commit alone (no file of the manual written) shows in the amendments log, with its
    what-changed view and feed entry, written by the plugin rather than MkDocs; a view that is no longer
    made is removed."""
    log, chapter = serving.url + "amendments/", serving.url + "responding/referrals/"
    wait_for(log, lambda page: "Old change" in page)
    referrals = manual.root / "docs/responding/referrals.md"
    manual.write("docs/responding/referrals.md", referrals.read_text().replace("## When to refer",
                                                                             "## When to refer\n\nRing first."))
    wait_for(chapter, lambda page: "Ring first." in page)
    manual.git("add", "-A")
    manual.git("commit", "-q", "-m", "Ask practitioners to ring first", date="2026-02-01T09:00:00+00:00")
    page = wait_for(log, lambda page: "Ask practitioners to ring first" in page)
    links = [urllib.parse.urljoin(log, href) for href in re.findall(r'href="([^"#]*changes/[^"#]+)"', page)]
    assert links, page[-3000:]
    assert "Ring first." in wait_for(links[0], lambda page: True)
    assert "Ask practitioners to ring first" in wait_for(serving.url + "feed.xml", lambda page: True)
    assert not list((manual.root / ".cache/procedures/serve").rglob("*.html")), \
        "the views go straight into the site folder, not through kept files"
    manual.git("reset", "-q", "--hard", "HEAD~1")  # the amendment is gone: so is its view
    wait_for(log, lambda page: "Ask practitioners to ring first" not in page)
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(links[0], timeout=5)
    time.sleep(2)  # long enough for a loop of rebuilds to show
    rebuilds = serving.stop().count("Detected file changes")
    assert 3 <= rebuilds <= 6, f"{rebuilds} rebuilds for three changes"


def test_serve_shows_an_edit_to_board_yml_on_every_page_showing_the_value(manual: Project, served: str) -> None:
    """The pages showing a board's changed value are made again: its copy of a chapter whose overlay names
    the value, and its own page; a change of the board's name shows on every page of its site."""
    board_file = manual.root / "boards/north/board.yml"
    number = re.search(r"01632 960\d{3}", board_file.read_text())
    assert number is not None
    contacts, referrals, online = served + "north/contacts/", served + "north/responding/referrals/", \
        served + "north/specific/online/"
    wait_for(contacts, lambda page: number.group() in page)
    manual.write("boards/north/overlays/referrals.md",
                 "::: end-of #when-to-refer\nNorth text: ring {{ board.contacts.front_door.phone }}.\n:::\n")
    wait_for(referrals, lambda page: number.group() in page)
    manual.write("boards/north/board.yml", board_file.read_text().replace(number.group(), "01632 960777"))
    wait_for(contacts, lambda page: "01632 960777" in page, timeout=20)
    wait_for(referrals, lambda page: "01632 960777" in page, timeout=20)
    for index in ("search/search_index.json", "north/search/search_index.json"):
        # Two pages were made again, neither the home page: Material's index kept the second one's old entries.
        entries = [(entry["location"], entry["title"])
                   for entry in json.loads(wait_for(served + index, lambda page: True))["docs"]]
        assert len(entries) == len(set(entries)), f"{index}: {sorted(entries)}"
    name = re.search(r"^name: (.+)$", board_file.read_text(), re.M)
    assert name is not None
    manual.write("boards/north/board.yml", board_file.read_text().replace(name.group(), "name: Renamed Partnership"))
    wait_for(online, lambda page: "Renamed Partnership" in page, timeout=20)


REBUILDS = r'''
import json, os, shutil, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page

root, site, steps = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
os.chdir(root)
made, read_source = [], Page.read_source

def counted(page, *arguments):  # a page MkDocs makes again is read again (its render may be one kept)
    made.append(page.file.src_uri)
    return read_source(page, *arguments)

Page.read_source = counted

def rebuild(first=False):
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site)
    config.site_url = "http://127.0.0.1:8000/"  # as `mkdocs serve` sets it
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)

rebuild(first=True)
for number, writes in enumerate(steps):
    for path, text in writes.items():
        (root / path).write_text(text)
    made.clear()
    rebuild()
    shutil.copytree(site, f"{site}-{number}")
    print(json.dumps(sorted(made)))
'''


def serve_rebuilds(manual: Project, site: Path, steps: list[dict[str, str]]) -> list[list[str]]:
    """`mkdocs serve --dirty`'s first build into `site`, then a rebuild after each step's writes, each site
    kept as `site-<step>`; the pages each rebuild made, by source path. In a process of its own: MkDocs
    keeps the plugins of `mkdocs serve` for the rest of the process."""
    done = subprocess.run([sys.executable, "-c", REBUILDS, str(manual.root), str(site), json.dumps(steps)],
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def differing_files(site: Path, expected: Path) -> list[str]:
    """The files that are not byte for byte the same in both sites, or in one only."""
    mine = {path.relative_to(site) for path in site.rglob("*") if path.is_file()}
    theirs = {path.relative_to(expected) for path in expected.rglob("*") if path.is_file()}
    return sorted(str(path) for path in mine ^ theirs) + sorted(
        str(path) for path in mine & theirs if (site / path).read_bytes() != (expected / path).read_bytes())


def test_each_serve_rebuild_makes_the_site_a_fresh_build_makes(manual: Project, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """After each kind of edit, the site `make serve` shows is byte for byte the site a first build of the
    edited manual makes, for every board: a contact changed in `board.yml` is written into the pages made
    before (none is made again but the board's own page naming it), a contact Markdown would read as
    syntax makes its pages again, and a title changed, a board renamed or `mkdocs.yml` edited makes every
    page (of the board) again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    phone, label = "{{ board.contacts.front_door.phone }}", "{{ board.contacts.front_door.label }}"
    manual.write("boards/south/board.yml", BOARD.replace("North", "South").replace("north", "south")
                 .replace("960111", "960444"))
    manual.write_pages({"responding/referrals.md": chapter(
        "Referrals", f"## When to refer\n\nRing {phone} ({label}).\n\nSee [online](../specific/online.md).\n")})
    manual.write("boards/north/overlays/referrals.md", f"::: end-of #when-to-refer\nNorth text: ring {phone}.\n:::\n")
    manual.write("boards/south/overlays/online.md", f"::: end\nSouth text: ring {phone}.\n:::\n")
    # What the navigation shows of pages not made again: a title escaped as made, Material's status mark.
    manual.write("boards/north/pages/contacts.md", chapter("North Contacts & Help", f"Ring {phone}.\n"))
    manual.write_pages({"specific/online.md": chapter("Online Safety", "## Live streaming\n\nText.\n",
                                                      status="under-review")})
    manual.plugin_config()["regional_values"]["contacts.front_door.label"] = "the front door"
    manual.commit("Name the front door's number")
    north, south = (manual.root / f"boards/{board}/board.yml" for board in ("north", "south"))
    steps = [
        {"boards/north/board.yml": north.read_text().replace("01632 960111", "01632 960222")},
        {"docs/responding/referrals.md": (manual.root / "docs/responding/referrals.md").read_text()
         .replace("## When to refer", "## When to refer\n\nRing first."),
         "docs/index.md": (manual.root / "docs/index.md").read_text() + "\nA new line on the home page.\n"},
        {"docs/specific/online.md": (manual.root / "docs/specific/online.md").read_text()
         .replace("Online Safety", "Safety Online"),
         "boards/north/overlays/referrals.md": f"::: end-of #when-to-refer\nNorth text, revised: ring {phone}.\n:::\n"},
        {"boards/south/board.yml": south.read_text().replace("label: Door", "label: Door & hall")},
        {"boards/north/board.yml": north.read_text().replace("01632 960111", "01632 960222")
         .replace("North Partnership", "Northern Partnership")},
        {"mkdocs.yml": (manual.root / "mkdocs.yml").read_text().replace("your local number",
                                                                        "your local front door's number")},
        {"boards/north/board.yml": north.read_text().replace("01632 960111", "01632 960555")
         .replace("North Partnership", "Northern Partnership"),
         "boards/south/board.yml": south.read_text().replace("label: Door", "label: Door & hall")
         .replace("01632 960444", "01632 960666")},
    ]
    before = {path: (manual.root / path).read_text() for step in steps for path in step}
    made = serve_rebuilds(manual, tmp_path / "served", steps)
    for path, text in before.items():
        manual.write(path, text)
    for number in range(len(steps)):
        for path, text in steps[number].items():
            manual.write(path, text)
        serve_rebuilds(manual, tmp_path / f"fresh-{number}", [])
        assert differing_files(tmp_path / f"served-{number}", tmp_path / f"fresh-{number}") == [], (number, made[number])
    assert made[0] == ["north/contacts.md"], "the new number is written into the pages made before"
    assert {"responding/referrals.md", "index.md"} <= set(made[1]) and "specific/online.md" not in made[1]
    assert {"specific/online.md", "responding/referrals.md", "index.md", "contents.md"} <= set(made[2]), \
        "a new title shows in every page's navigation"
    assert "responding/referrals.md" in made[3], "`&` is not written into a page: the page is made again"
    assert "north/contacts.md" in made[4] and "specific/online.md" in made[4]
    assert {"responding/referrals.md", "specific/online.md", "index.md"} <= set(made[5]), \
        "a setting in mkdocs.yml may show on every page"
    assert made[6] == ["north/contacts.md"], "both boards' new numbers written into the pages made before"


def test_the_amendments_are_kept_through_a_contact_change_unless_a_view_read_the_contacts(tmp_path: Path) -> None:
    """The what-changed views show a board's contacts as they were when each change landed (from the
    history): a contact edited in `board.yml` changes none of them, unless a view read the board as it is."""
    serve = DirtyServe(tmp_path)
    boards = {name: board_from_text("north", "boards/north/board.yml", text)[0] for name, text in {
        "as it was": BOARD, "new number": BOARD.replace("960111", "960222"),
        "renamed": BOARD.replace("North Partnership", "Northern Partnership")}.items()}

    def key(name: str, read_as_they_are: frozenset[str] | None) -> str:
        board = boards[name]
        assert board is not None
        return serve.amendments_key([], Region(boards={"north": board}), {}, None, {}, read_as_they_are)

    assert key("as it was", frozenset()) == key("new number", frozenset())
    assert key("as it was", frozenset()) != key("renamed", frozenset()), "every view names the board"
    assert key("as it was", frozenset({"north"})) != key("new number", frozenset({"north"}))
    assert key("as it was", None) != key("new number", None), "not knowing what was read, every contact counts"
    for read, kept in ((frozenset(), True), (frozenset({"north"}), False)):
        serve.amendments = KeptAmendments(key("as it was", read), read, None, [], {}, [])  # type: ignore[arg-type]
        assert (serve.kept_amendments(lambda read_now: key("new number", read_now)) is not None) == kept


def test_a_view_of_a_change_made_before_its_boards_details_existed_reads_the_board_as_it_is(manual: Project) -> None:
    """North's overlay was committed before its `board.yml`: its view fills in North's values as they are now,
    and says so (so that a contact edited under serve makes the views again)."""
    readers = ReadersCopy(str, Region(boards={"north": board_from_text("north", "boards/north/board.yml", BOARD)[0]}),
                          None, {}, {}, "https://example.org/", "docs", "boards",  # type: ignore[arg-type, dict-item]
                          read_at=lambda commit, path: BOARD if commit == "after" else None)
    overlay = "boards/north/overlays/referrals.md"
    for commit, read_now in (("after", set()), ("before", {"north"}), (None, {"north"})):
        readers.boards_read_as_they_are.clear()
        then = readers._board_then(Amendment(dt.date(2026, 1, 5), "referrals", "Referrals", overlay, "", "north", commit))
        assert then is not None and then.name == "North Partnership"
        assert readers.boards_read_as_they_are == read_now, commit


def test_a_file_written_over_in_place_holds_only_its_new_content(tmp_path: Path) -> None:
    target = tmp_path / "page" / "index.html"
    write_output(target, "a long first version of the page")
    write_output(target, "shorter")
    assert target.read_bytes() == b"shorter"
    write_output(target, b"a longer second version, longer than both")
    assert target.read_text() == "a longer second version, longer than both"


def test_the_themes_files_listed_once_are_the_files_mkdocs_copies(tmp_path: Path) -> None:
    """Under `mkdocs serve`, each installed theme folder is listed once for all rebuilds, without its hidden
    folders (Material's icons): the theme's files MkDocs copies are the same."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Manual\ntheme:\n  name: material\n")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    serve = DirtyServe(tmp_path)
    serve.list_theme_once(config.theme)
    for _ in range(2):  # listed, then from what was kept
        listed = Files([])
        listed.add_files_from_theme(config.theme.get_env(), config)
        assert sorted(file.src_uri for file in listed) == sorted(file.src_uri for file in files) != []
    assert serve.theme_listing and all(not name.startswith(".") for names in serve.theme_listing.values()
                                       for name in names)


def test_the_themes_templates_are_compiled_once_for_every_rebuild_until_one_is_edited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rebuild of `mkdocs serve` has a new theme and environments: a template it renders again is not
    compiled again, and a template edited since (the project's own override) is, and shows the edit."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides").mkdir()
    override = tmp_path / "overrides" / "404.html"
    override.write_text("{% import 'partials/language.html' as lang with context %}{{ lang.t('search.config.lang') }}: "
                        "first wording")
    (tmp_path / "mkdocs.yml").write_text("site_name: Manual\ntheme:\n  name: material\n  custom_dir: overrides\n")
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *arguments: object) -> object:
        compiled.append(name)
        return compile_template(self, source, name, *arguments)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    serve = DirtyServe(tmp_path)

    def rebuild() -> str:
        config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
        serve.list_theme_once(config.theme)
        return config.theme.get_env().get_template("404.html").render(config=config)

    assert rebuild() == "en: first wording"
    assert {"404.html", "partials/language.html", "partials/languages/en.html"} <= set(compiled)
    compiled.clear()
    assert rebuild() == "en: first wording"
    assert compiled == []
    override.write_text("{% import 'partials/language.html' as lang with context %}{{ lang.t('search.config.lang') }}: "
                        "second wording")
    assert rebuild() == "en: second wording"
    assert compiled == ["404.html"]
