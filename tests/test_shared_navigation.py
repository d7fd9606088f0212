"""The navigation rendered once per group of pages and reused is byte for byte the theme's own: every
file of a manual built with the shortcut is the file built without it, whatever the theme's features."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_procedures.machinery import navigation

from .conftest import REPO_ROOT, Project, chapter

FEATURES = {
    "sections and prune": ["navigation.sections", "navigation.prune", "toc.follow"],
    "tabs and indexes": ["navigation.tabs", "navigation.sections", "navigation.indexes"],
    "expand, integrated contents": ["navigation.expand", "toc.integrate"],
    "none": [],
}


def _built(config_file: Path, site_dir: Path, shared: bool, **settings: Any) -> int:
    """Build; how many pages took a navigation rendered for another page."""
    config = load_config(config_file=str(config_file), strict=True, site_dir=str(site_dir), **settings)
    plugin = config.plugins["procedures"]
    plugin.config.shared_navigation = shared  # type: ignore[attr-defined]
    build(config)
    return plugin.build.navigation.pages_shared  # type: ignore[attr-defined, no-any-return]


def _differences(one: Path, other: Path) -> list[str]:
    files = {path.relative_to(one) for path in one.rglob("*") if path.is_file()}
    assert files == {path.relative_to(other) for path in other.rglob("*") if path.is_file()}
    return [str(path) for path in sorted(files) if (one / path).read_bytes() != (other / path).read_bytes()]


@pytest.fixture
def nested(project: Project) -> Project:
    """A manual whose navigation has what a long one has: three levels, section index pages, a page with
    pages below its address, a folder's pages in two sections, a link out, a page left out of the
    navigation, titles with markup characters."""
    project.write_pages({
        "part-a/index.md": chapter("Part A overview", "## About\n\nText.\n"),
        "part-a/one.md": chapter("One & only", "## First\n\nText.\n\n### Deeper\n\nMore.\n\n## Second\n\nText.\n"),
        "part-a/two.md": chapter("Two <b>not bold</b>", "Text without headings.\n"),
        "part-a/sub/three.md": chapter("Three", "## Heading\n\nText.\n"),
        "part-a/sub/four.md": chapter("Four", "## Heading\n\nText.\n"),
        "guide.md": chapter("Guide", "## Start\n\nText.\n"),
        "guide/detail.md": chapter("Guide detail", "## Detail\n\nText.\n"),
        "part-b/five.md": chapter("Five", "## Heading\n\nText.\n"),
        "part-b/six.md": chapter("Six", "## Heading\n\nText.\n"),
        "part-b/seven.md": chapter("Seven", "## Heading\n\nIn Part B's folder, in Part A's section.\n"),
        "notes/aside.md": chapter("An aside", "Not in the navigation.\n"),
    })
    project.config["nav"] = [
        {"Home": "index.md"}, {"Contents": "contents.md"}, {"Guide": "guide.md"},
        {"Part A": ["part-a/index.md", "part-a/one.md", "part-a/two.md", "part-b/seven.md",
                    {"Sub-part": ["part-a/sub/three.md", "part-a/sub/four.md"]}]},
        {"Part B": ["part-b/five.md", "guide/detail.md", "part-b/six.md",
                    {"Elsewhere": "https://example.org/elsewhere/"}]},
    ]
    project.config["not_in_nav"] = "notes/aside.md\n"
    project.config["theme"]["custom_dir"] = "overrides"
    project.write("overrides/main.html", '{% extends "base.html" %}\n')
    project.commit("Publish")
    return project


@pytest.mark.parametrize("features", FEATURES.values(), ids=FEATURES.keys())
@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory URLs", "file URLs"])
def test_every_page_is_the_themes_own_with_the_shared_navigation(nested: Project, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 features: list[str], directory_urls: bool) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the same stamp on both
    nested.config["theme"]["features"] = features
    nested.config["use_directory_urls"] = directory_urls
    (nested.root / "mkdocs.yml").write_text(yaml.safe_dump(nested.config, sort_keys=False), encoding="utf-8")
    shared = _built(nested.root / "mkdocs.yml", tmp_path / "shared", True)
    _built(nested.root / "mkdocs.yml", tmp_path / "theme", False)
    assert _differences(tmp_path / "shared", tmp_path / "theme") == []
    assert shared >= 4  # the second page of each part, at least, took another page's navigation
    page = "part-a/two/index.html" if directory_urls else "part-a/two.html"
    assert "md-nav__link--active" in (tmp_path / "shared" / page).read_text(encoding="utf-8")


def _kept_groups(config_file: Path, site_dir: Path) -> int:
    """Build with the shared navigation; how many groups came from the navigation the last build kept."""
    config = load_config(config_file=str(config_file), strict=True, site_dir=str(site_dir))
    build(config)
    return config.plugins["procedures"].build.navigation.groups_kept  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("features", [FEATURES["sections and prune"], FEATURES["tabs and indexes"]],
                         ids=["sections and prune", "tabs and indexes"])
def test_a_build_takes_the_navigation_the_last_one_kept_only_while_it_is_the_same(
        nested: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, features: list[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    nested.config["theme"]["features"] = features
    config_file = nested.root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(nested.config, sort_keys=False), encoding="utf-8")
    assert _kept_groups(config_file, tmp_path / "first") == 0
    assert _kept_groups(config_file, tmp_path / "again") >= 3  # each part's folder, the guide's
    _built(config_file, tmp_path / "theme", False)
    assert _differences(tmp_path / "again", tmp_path / "theme") == []

    # Another title is another navigation, kept apart: nothing kept is given, and the pages show the new title.
    folder = nested.root / ".cache" / "procedures" / "navigation"
    before = [path.name for path in folder.iterdir()]
    nested.write_pages({"part-b/six.md": chapter("Six, renamed", "## Heading\n\nText.\n")})
    assert _kept_groups(config_file, tmp_path / "renamed") == 0
    after = [path.name for path in folder.iterdir()]
    assert len(before) == len(after) == 1 and before != after
    _built(config_file, tmp_path / "theme-renamed", False)
    assert _differences(tmp_path / "renamed", tmp_path / "theme-renamed") == []
    assert "Six, renamed" in (tmp_path / "renamed" / "part-a" / "one" / "index.html").read_text(encoding="utf-8")

    # Kept groups that are not what the theme renders now (a template changed, nothing else): the first
    # group the theme renders shows it, and no kept group is given.
    kept = list(folder.rglob("*.json"))
    assert kept
    for file in kept:
        file.write_text(file.read_text(encoding="utf-8").replace("md-nav__link", "md-nav__link stale"), encoding="utf-8")
    assert _kept_groups(config_file, tmp_path / "checked") == 0
    assert _differences(tmp_path / "checked", tmp_path / "theme-renamed") == []


def test_a_group_let_go_and_seen_again_is_the_themes_own(nested: Project, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """One group held at a time: the pages outside the navigation come back to the first group at the end,
    rendered by the theme again in a first build and read from the kept file in the next; each build's
    pages are the theme's own."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    monkeypatch.setattr(navigation, "GROUPS_KEPT", 1)
    config_file = nested.root / "mkdocs.yml"
    _kept_groups(config_file, tmp_path / "first")
    again = _kept_groups(config_file, tmp_path / "again")
    _built(config_file, tmp_path / "theme", False)
    assert _differences(tmp_path / "first", tmp_path / "theme") == []
    assert _differences(tmp_path / "again", tmp_path / "theme") == []
    # Every group but the one the build checks against the theme, and the first group once more.
    groups = len(list((nested.root / ".cache" / "procedures" / "navigation").rglob("*.json")))
    assert groups >= 4 and again >= groups


def test_a_navigation_json_cannot_write_is_neither_kept_nor_given(tmp_path: Path) -> None:
    """A date as a key in a page's front matter (or in `extra`) cannot be a JSON key: nothing is kept."""
    entry = ["Page", "Five", "part-b/five/", False]
    kept = navigation.KeptNavigation(tmp_path / "kept", {"extra": {}}, [])
    kept.begin([[*entry, {dt.date(2026, 1, 5): "reviewed"}]])
    kept.keep((True, "part-b", ()), {"texts": ["<nav>"], "entries": [], "plain": {}})
    assert kept.get((True, "part-b", ())) is None and not (tmp_path / "kept").exists()
    kept.begin([[*entry, {"reviewed": dt.date(2026, 1, 5)}]])  # a date as a value is written as its repr
    kept.keep((True, "part-b", ()), {"texts": ["<nav>"], "entries": [], "plain": {}})
    assert kept.get((True, "part-b", ())) == {"texts": ["<nav>"], "entries": [], "plain": {}}
    odd_settings = navigation.KeptNavigation(tmp_path / "other", {"extra": {dt.date(2026, 1, 5): "x"}}, [])
    odd_settings.begin([[*entry, {}]])
    assert odd_settings.current is None


def test_the_demo_with_every_board_is_the_themes_own_with_the_shared_navigation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    shared = _built(REPO_ROOT / "mkdocs.yml", tmp_path / "shared", True)
    _built(REPO_ROOT / "mkdocs.yml", tmp_path / "theme", False)
    assert _differences(tmp_path / "shared", tmp_path / "theme") == []
    assert shared > 40
    boards = [folder.name for folder in (REPO_ROOT / "boards").iterdir() if (folder / "board.yml").is_file()]
    assert all((tmp_path / "shared" / board / "index.html").is_file() for board in boards)


def test_a_project_with_its_own_navigation_entries_gets_them_on_every_page(
        nested: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry template of the project's own may show anything of the page: nothing is shared then."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    theme_item = Path(load_config(config_file=str(nested.root / "mkdocs.yml")).theme.dirs[-2], "partials",
                      "nav-item.html").read_text(encoding="utf-8")
    own = theme_item.replace('<span class="md-ellipsis">', '<span class="md-ellipsis" data-shown="{{ page.title }}">')
    assert own != theme_item
    nested.write("overrides/partials/nav-item.html", own)
    assert _built(nested.root / "mkdocs.yml", tmp_path / "shared", True) == 0
    _built(nested.root / "mkdocs.yml", tmp_path / "theme", False)
    assert _differences(tmp_path / "shared", tmp_path / "theme") == []
    assert 'data-shown="Two &lt;b&gt;not bold&lt;/b&gt;"' in (tmp_path / "shared" / "part-a/two/index.html").read_text()


def test_the_themes_own_templates_are_found_by_name_and_not_listed_twice(nested: Project) -> None:
    """MkDocs lists every template on each build to find the theme's files to copy; the theme's own
    templates, which our overrides include under a prefix, must not be listed a second time."""
    config = load_config(config_file=str(nested.root / "mkdocs.yml"))
    overrides = str(Path(navigation.__file__).parent.parent / "render" / "overrides")
    config.theme.dirs.insert(0, overrides)
    environment = config.theme.get_env()
    listed = len(environment.list_templates())
    navigation.SharedNavigation(environment, config.theme.dirs, overrides)
    assert len(environment.list_templates()) == listed
    assert environment.get_template(f"{navigation.ORIGINAL}/{navigation.NAVIGATION}") is not None
