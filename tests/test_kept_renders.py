"""What a page's Markdown renders to, kept between builds: a build given the kept renders writes every
file a build that renders every page writes, and renders again whatever read something that changed."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from mkdocs_procedures.machinery.kept_renders import KeptRenders, build_key

from .conftest import BOARD, Project, chapter


def _built(project: Project, site_dir: Path, keep: bool) -> dict[str, int]:
    """Build; how many pages, blocks and search entries were given as kept."""
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(project.config, sort_keys=False), encoding="utf-8")
    config = load_config(config_file=str(project.root / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
    plugin = config.plugins["procedures"]
    plugin.config.keep_renders = keep  # type: ignore[attr-defined]
    build(config)
    kept: KeptRenders | None = plugin.build.kept_renders  # type: ignore[attr-defined]
    return dict(kept.given) if kept is not None else {}


def _differences(one: Path, other: Path) -> list[str]:
    files = {path.relative_to(one) for path in one.rglob("*") if path.is_file()}
    assert files == {path.relative_to(other) for path in other.rglob("*") if path.is_file()}
    return [str(path) for path in sorted(files) if (one / path).read_bytes() != (other / path).read_bytes()]


def _warnings(project: Project, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        project.build(strict=False)
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.fixture
def linked(manual: Project) -> Project:
    """The small manual with links between pages, to anchors, from boards' blocks, and a second board."""
    manual.write_pages({
        "responding/referrals.md": chapter("Referrals", "## When to refer\n\nSee [live streaming]"
                                           "(../specific/online.md#live-streaming) and [below](#after).\n\n"
                                           "## After\n\nText.\n"),
        "specific/online.md": chapter("Online Safety", "## Live streaming\n\nText with `code` & more.\n"),
    })
    manual.write("boards/north/overlays/online.md",
                 "::: end-of #live-streaming\nNorth: read [referrals](../responding/referrals.md#after).\n:::\n")
    manual.write("boards/south/board.yml", BOARD.replace("North", "South").replace("north", "south"))
    manual.write("boards/south/overlays/referrals.md", "::: end-of #after\nSouth's own note.\n:::\n")
    manual.commit("Links")
    return manual


def test_a_build_given_the_kept_renders_writes_what_a_build_rendering_every_page_writes(
        linked: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    assert _built(linked, tmp_path / "first", keep=True) == {"pages": 0, "blocks": 0, "search": 0}
    given = _built(linked, tmp_path / "kept", keep=True)
    _built(linked, tmp_path / "rendered", keep=False)
    assert _differences(tmp_path / "kept", tmp_path / "rendered") == []
    pages = sum(1 for _ in (tmp_path / "rendered").rglob("*.html")) - sum(
        1 for _ in (tmp_path / "rendered").rglob("changes/*.html"))
    assert given["pages"] > 10 and given["search"] > 10 and given["blocks"] >= 2
    assert given["pages"] <= pages

    # An edit to a chapter and to a board's block: those are rendered again, the rest is given.
    linked.write("docs/specific/online.md", chapter("Online Safety", "## Live streaming\n\nNew text.\n"))
    linked.write("boards/south/overlays/referrals.md", "::: end-of #after\nSouth's new note.\n:::\n")
    linked.commit("Edit")
    again = _built(linked, tmp_path / "kept", keep=True)
    _built(linked, tmp_path / "rendered", keep=False)
    assert _differences(tmp_path / "kept", tmp_path / "rendered") == []
    assert "New text." in (tmp_path / "kept" / "specific/online/index.html").read_text(encoding="utf-8")
    assert "South's new note." in (tmp_path / "kept" / "south/responding/referrals/index.html").read_text(
        encoding="utf-8")
    assert 0 < again["pages"] < given["pages"] and again["blocks"] < given["blocks"]


def test_a_page_linking_to_a_file_gone_is_rendered_again_with_the_warning(
        linked: Project, caplog: pytest.LogCaptureFixture) -> None:
    linked.write("docs/forms/referral-form.txt", "A form.\n")
    linked.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nUse the "
                                                         "[form](../forms/referral-form.txt).\n\n## After\n\nText.\n"))
    assert _warnings(linked, caplog) == []
    assert _warnings(linked, caplog) == []  # given as kept
    assert 'href="../../forms/referral-form.txt"' in linked.html("responding/referrals/")
    # The file linked to goes; the linking page's Markdown is as it was.
    (linked.root / "docs/forms/referral-form.txt").unlink()
    for _ in range(2):  # rendered again, and never kept: it warns on every build
        warned = _warnings(linked, caplog)
        assert any("responding/referrals.md" in message and "forms/referral-form.txt" in message
                   for message in warned), warned
        assert 'href="../forms/referral-form.txt"' in linked.html("responding/referrals/")


def test_the_links_to_anchors_in_a_kept_block_are_still_checked(
        linked: Project, caplog: pytest.LogCaptureFixture) -> None:
    linked.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nText.\n\n## After\n\nText.\n"))
    assert _warnings(linked, caplog) == []
    assert _warnings(linked, caplog) == []
    # North's block in Online Safety, kept, links to `#after` in Referrals, which is renamed.
    linked.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nText.\n\n## Later\n\nText.\n"))
    linked.write("boards/south/overlays/referrals.md", "::: end-of #later\nSouth's own note.\n:::\n")
    warned = _warnings(linked, caplog)
    assert any("specific/online.md" in message and "'#after'" in message for message in warned), warned


@pytest.mark.parametrize("extensions", [["pymdownx.snippets"], ["admonition", "pymdownx.snippets"],
                                        ["markdown_include_something_unknown.include"]])
def test_nothing_is_kept_when_an_extension_reads_other_files_or_is_unknown(
        manual: Project, extensions: list[str]) -> None:
    config = load_config(config_file=None, config_file_path=str(manual.root / "mkdocs.yml"),
                         site_url="https://example.org/", markdown_extensions=["toc"])
    assert build_key(config) is not None
    config.markdown_extensions = extensions
    assert build_key(config) is None


def test_the_key_changes_with_the_extensions_settings(manual: Project) -> None:
    def key(settings: dict[str, Any]) -> str | None:
        config = load_config(config_file=None, config_file_path=str(manual.root / "mkdocs.yml"),
                             site_url="https://example.org/", markdown_extensions=["toc"])
        config.mdx_configs = {"toc": settings}
        return build_key(config)

    assert key({"permalink": True}) == key({"permalink": True})
    assert key({"permalink": True}) != key({"permalink": False}) != key({})


def test_a_render_kept_by_a_quiet_build_is_not_given_to_one_that_says_more(
        linked: Project, caplog: pytest.LogCaptureFixture) -> None:
    """`mkdocs build -q` shows no notices: a page whose render gives one (a link MkDocs does not recognise,
    a notice by default) is kept by it, and rendered again by a build that shows notices, which says so."""
    linked.config["validation"]["unrecognized_links"] = "info"
    linked.write("docs/responding/referrals.md", chapter("Referrals", "## When to refer\n\nSee [the folder](../specific/).\n\n"
                                                         "## After\n\nText.\n"))

    def notices(level: int) -> list[str]:
        caplog.clear()
        with caplog.at_level(level, logger="mkdocs"):
            linked.build(strict=False)
        return [record.getMessage() for record in caplog.records if record.levelno == logging.INFO
                and "unrecognized relative link" in record.getMessage()]

    assert notices(logging.WARNING) == []  # quiet: kept
    assert len(notices(logging.INFO)) == 1  # says more: rendered again, and the notice shown
    assert len(notices(logging.INFO)) == 1  # never kept while it gives a notice
    assert notices(logging.WARNING) == []


def test_a_page_of_a_kind_that_renders_itself_its_own_way_is_left_to_it(manual: Project, tmp_path: Path) -> None:
    class OwnPage(Page):
        def render(self, config: Any, files: Any) -> None:
            self.content = "<p>its own</p>"

    config = load_config(config_file=str(manual.root / "mkdocs.yml"))
    file = File("own.md", str(manual.root / "docs"), str(tmp_path), True)
    kept = KeptRenders(tmp_path / "kept", config)
    own, plain = OwnPage("Own", file, config), Page("Plain", file, config)
    kept.attach(own)
    kept.attach(plain)
    assert "render" not in vars(own) and "render" in vars(plain)


def test_a_boards_page_given_its_kept_render_is_cleaned_as_one_rendered(
        linked: Project, tmp_path: Path) -> None:
    """What a render gave is kept before the board's HTML is cleaned: a kept render of a hostile page
    is cleaned again on every build."""
    linked.write("boards/north/pages/contacts.md", chapter(
        "North Contacts", "Ring {{ board.contacts.front_door.phone }}.\n\n<script>alert('kept')</script>\n\n"
        "[Open](javascript:alert('kept')) <img src=x onerror=\"alert('kept')\">\n"))
    linked.commit("A hostile page")
    _built(linked, tmp_path / "first", keep=True)
    given = _built(linked, tmp_path / "kept", keep=True)
    assert given["pages"] > 0
    page = (tmp_path / "kept" / "north/contacts/index.html").read_text(encoding="utf-8")
    assert "01632 960111" in page and "Open" in page
    assert "alert('kept')" not in page and "alert(&#39;kept&#39;)" not in page and "onerror" not in page
