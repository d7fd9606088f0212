"""Whole builds of small manuals: front matter errors, the under-review banner, contents, the stamp."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort, ConfigurationError

from .conftest import SITE_URL, Project, chapter

STAMP = "This page is correct as printed on"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def two_part_manual(project: Project) -> None:
    project.write_pages(
        {
            "intro/principles.md": chapter("Core Principles", "## Everyone's job\n\nText.\n"),
            "responding/referrals.md": chapter(
                "Making a Referral", "## When to refer\n\nSee [principles](../intro/principles.md).\n",
                status="under-review",
            ),
        }
    )
    project.config["nav"] = [
        {"Home": "index.md"},
        {"Contents": "contents.md"},
        {"Introduction": ["intro/principles.md"]},
        {"Responding to concerns": ["responding/referrals.md"]},
    ]


def test_every_page_carries_the_print_stamp_with_its_own_url(project: Project) -> None:
    two_part_manual(project)
    site = project.build()
    pages = sorted(site.rglob("*.html"))
    # home, contents, two chapters, 404, the amendments log, the editions page, the privacy note, the
    # printed-copy check, and a what-changed view per chapter
    assert len(pages) == 13
    for page in pages:
        stamp = soup(page.read_text()).select_one("article .procedures-stamp")
        assert stamp is not None, f"{page} has no stamp inside its article"
        assert stamp["data-date-format"] == "%A %-d%o of %B %Y %I:%M:%S %p"
    stamp = soup(project.html("responding/referrals/")).select_one(".procedures-stamp")
    assert stamp is not None
    printed = stamp.select_one(".procedures-stamp__printed")
    assert printed is not None and printed.has_attr("hidden")
    assert printed.get_text() == (
        f"{STAMP}  please refer back to this website ({SITE_URL}responding/referrals/) for updates."
    )
    assert printed.select_one("time.procedures-stamp__moment") is not None


def test_without_scripts_the_stamp_says_when_the_site_was_built(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795428902")  # Monday 23 November 2026 10:15:02 GMT
    two_part_manual(project)
    project.build()
    built = soup(project.html("intro/principles/")).select_one(".procedures-stamp__built")
    assert built is not None and not built.has_attr("hidden")
    assert built.get_text() == (
        "This page was correct when this website was last published on Monday 23rd of November 2026 "
        f"10:15:02 AM; please refer back to this website ({SITE_URL}intro/principles/) for updates."
    )


def test_stamp_wording_and_date_format_come_from_mkdocs_yml(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795428902")
    two_part_manual(project)
    project.plugin_config()["stamp"] = {
        "template": "Printed {{ printed_on }} from {{ url }}",
        "fallback_template": "Published {{ built_on }} <b>{{ url }}</b>",
        "date_format": "%d-%m-%Y %H:%M",
        "show_on_screen": True,
    }
    project.build()
    stamp = soup(project.html("intro/principles/")).select_one(".procedures-stamp")
    assert stamp is not None
    assert "procedures-stamp--on-screen" in stamp["class"]
    assert stamp["data-date-format"] == "%d-%m-%Y %H:%M"
    assert stamp.select_one(".procedures-stamp__printed").get_text() == (  # type: ignore[union-attr]
        f"Printed  from {SITE_URL}intro/principles/"
    )
    built = stamp.select_one(".procedures-stamp__built")
    assert built is not None
    assert built.decode_contents() == f"Published 23-11-2026 10:15 <b>{SITE_URL}intro/principles/</b>"


def test_a_broken_stamp_template_is_a_configuration_error(project: Project) -> None:
    project.plugin_config()["stamp"] = {"template": "Printed {% if %}"}
    with pytest.raises(ConfigurationError, match=re.escape("stamp `template` is not a valid Jinja template")):
        project.build()


def test_site_url_is_required(project: Project) -> None:
    del project.config["site_url"]
    with pytest.raises(ConfigurationError, match=r"`site_url` must be set in mkdocs.yml"):
        project.build()


def test_under_review_banner_sits_below_the_title(project: Project) -> None:
    two_part_manual(project)
    project.build()
    article = soup(project.html("responding/referrals/")).select_one("article")
    assert article is not None
    title = article.select_one("h1")
    assert title is not None and title.get_text() == "Making a Referral"
    # (Hidden until a script finds the chapter amended since the reader last read it.)
    last_amended, banner = [shown for shown in title.find_next_siblings() if not shown.has_attr("hidden")][:2]
    assert last_amended.get_text() == "Last amended: 05-01-2026"
    assert "procedures-banner--under-review" in banner["class"]
    assert "This procedure is currently under review." in banner.get_text()
    assert soup(project.html("intro/principles/")).select_one(".procedures-banner--under-review") is None


def test_banner_follows_a_title_written_in_markdown(project: Project) -> None:
    project.write_pages({"a.md": chapter("A", "# Written title\n\nBody.\n", status="under-review")})
    project.build()
    html = project.html("a/")
    assert html.index("</h1>") < html.index("procedures-banner--under-review") < html.index("<p>Body.")


def test_contents_page_lists_parts_and_chapters(project: Project) -> None:
    two_part_manual(project)
    project.build()
    article = soup(project.html("contents/")).select_one("article")
    assert article is not None
    assert [h2.get_text().rstrip("¶") for h2 in article.select("h2[id]:not(#procedures-amendments-heading)")] == [
        "Introduction", "Responding to concerns"]
    links = [(a.get_text(), a["href"]) for a in article.select("li a")]
    assert links == [("Core Principles", "../intro/principles/"), ("Making a Referral", "../responding/referrals/")]
    assert "Making a Referral (under review)" in article.get_text(" ", strip=True).replace("  ", " ")


def test_contents_page_escapes_chapter_titles(project: Project) -> None:
    two_part_manual(project)
    project.write_pages({"intro/principles.md": chapter("Risk & <harm> *online*", "## Section\n\nText.\n")})
    project.build()
    article = soup(project.html("contents/")).select_one("article")
    assert article is not None
    assert article.select("li a")[0].get_text() == "Risk & <harm> *online*"
    assert "&lt;harm&gt;" in project.html("contents/")


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ({"status": "draft"}, "docs/bad.md:3: field `status`: expected `current` or `under-review`, found `draft`"),
        ({"next_review": "soon"}, "docs/bad.md:3: field `next_review`: expected a date written YYYY-MM-DD"),
        ({"owner": ["a", "b"]}, "docs/bad.md:3: field `owner`: expected the name of a person or group, found a list"),
    ],
)
def test_bad_front_matter_fails_the_build_naming_file_and_field(
    project: Project, front_matter: dict[str, object], message: str
) -> None:
    project.write_pages({"bad.md": chapter("Bad", **front_matter)})
    assert message in project.build_errors()


def test_duplicate_ids_fail_the_build(project: Project) -> None:
    project.write_pages({"a.md": chapter("A", id="same"), "b.md": chapter("B", id="same")})
    assert "docs/b.md:3: field `id`: `same` is already the id of docs/a.md" in project.build_errors()


def test_every_error_is_reported_at_once(project: Project) -> None:
    project.write_pages({"a.md": chapter("A", status="x"), "b.md": "---\nid: B!\n---\n"})
    errors = project.build_errors()
    assert "docs/a.md:3: field `status`" in errors
    assert "docs/b.md:2: field `id`: expected lower-case letters" in errors


def test_unknown_fields_warn_and_strict_mode_fails(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    project.write_pages({"a.md": chapter("A", reviewer="Someone")})
    with caplog.at_level(logging.WARNING), pytest.raises(Abort, match="warnings in strict mode"):
        project.build()
    assert "docs/a.md:3: unknown field `reviewer` is ignored" in caplog.text
    project.build(strict=False)
    assert (project.site / "a" / "index.html").exists()


def test_disabled_plugin_builds_a_plain_site(project: Project) -> None:
    two_part_manual(project)
    project.plugin_config()["enabled"] = False
    project.build()
    assert "procedures-stamp" not in project.html("intro/principles/")
    assert not (project.site / "assets" / "procedures").exists()


def test_the_demo_manual_builds_strictly_with_every_page_stamped(demo_site: Path) -> None:
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) >= 20
    unstamped = [page for page in pages if soup(page.read_text()).select_one("article .procedures-stamp") is None]
    assert unstamped == []


def test_the_demo_manual_has_at_least_sixteen_chapters_in_four_parts(demo_site: Path) -> None:
    article = soup((demo_site / "contents" / "index.html").read_text()).select_one("article")
    assert article is not None
    assert len(article.select("h2:not(#procedures-amendments-heading)")) >= 4
    assert len(article.select("ul li a")) >= 16
