"""The smaller findings of the hostile review: history and editions that cannot be read as configured,
dates that cannot be right, commit messages that are empty or would hide their text, and the tools'
wrong use. Each gives a message naming what is wrong, never a traceback or a silent build."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest

from procedures_tools.cli import main

from .conftest import Project, chapter


@pytest.fixture
def manual(project: Project) -> Project:
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"}, {"Part": ["referrals.md"]}]
    project.plugin_config().update({"amendments_dir": "amendments"})
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer when worried.\n")})
    project.write("amendments/old.yml", "- {chapter: referrals, details: Imported change, date: 17-10-2019}\n")
    project.commit("Publish the manual", "2026-01-05T10:00:00+00:00")
    return project


def test_a_history_ref_that_names_no_commit_fails_the_build(manual: Project) -> None:
    manual.plugin_config()["history"] = {"ref": "nope"}
    assert "`history: {ref: nope}` names no commit of this repository" in manual.build_errors()


def test_a_repository_with_no_commits_gives_a_message(project: Project) -> None:
    project.git("init", "-q", "-b", "main")
    assert "the repository has no commits yet" in project.build_errors()


def test_a_next_review_before_the_last_review_is_an_error(manual: Project) -> None:
    manual.write_pages({"referrals.md": chapter("Referrals", "Text.\n", last_reviewed=dt.date(2026, 5, 1),
                                                next_review=dt.date(2026, 4, 1))})
    assert ("docs/referrals.md:4: field `next_review`: 2026-04-01 is before `last_reviewed` (2026-05-01); expected "
            "the next review after the last one") in manual.build_errors()


def test_a_commit_dated_in_the_future_is_a_warning_that_fails_a_strict_build(manual: Project) -> None:
    manual.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once.\n")})
    sha = manual.commit("Amendment: From a wrong clock", "2099-01-01T10:00:00+00:00")
    errors = manual.build_errors()
    assert (f"commit {sha[:12]}: \"From a wrong clock\" is dated 2099-01-01, after today") in errors


def test_a_record_dated_in_the_future_is_a_warning(manual: Project) -> None:
    manual.write("amendments/old.yml", "- {chapter: referrals, details: Typed wrong, date: 17-10-2091}\n")
    manual.commit("Amendment: none")
    assert "amendments/old.yml:1: field `date`: 2091-10-17 is after today" in manual.build_errors()


def test_an_empty_message_and_a_bidi_override_are_listed_readably(manual: Project) -> None:
    manual.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once.\n")})
    manual.git("add", "-A")
    manual.git("commit", "-q", "--allow-empty-message", "-m", "", date="2026-02-01T10:00:00+00:00")
    manual.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer today.\n")})
    manual.commit("Amendment: Refer \u202eyadot\u202c now", "2026-03-01T10:00:00+00:00")
    site = manual.build()
    log = json.loads((site / "amendments.json").read_text())
    details = {(entry["chapter"], entry["details"]) for entry in log}
    assert ("referrals", "(no details given)") in details
    assert ("referrals", "Refer <U+202E>yadot<U+202C> now") in details
    for path in (site / "amendments/index.html", site / "feed.xml", site / "referrals/index.html"):
        text = path.read_text()
        assert "\u202e" not in text and "Refer &lt;U+202E&gt;yadot&lt;U+202C&gt; now" in text, path


def test_editions_written_as_a_list_or_tagged_on_a_tree_give_messages(manual: Project) -> None:
    manual.write("editions.yml", "- launch\n")
    manual.commit("Amendment: none")
    assert "editions.yml:1: expected `<edition name>: <commit>` lines, found a list" in manual.build_errors()
    manual.write("editions.yml", "")
    manual.commit("Amendment: none")
    tree = manual.git("rev-parse", "HEAD^{tree}").strip()
    manual.git("tag", "edition/odd", tree)
    assert "tag edition/odd: an edition's tag must name a commit; this one names a tree" in manual.build_errors()


def test_a_stamp_template_with_an_unknown_name_is_a_message(manual: Project) -> None:
    manual.plugin_config()["stamp"] = {"template": "Printed {{ prnted_on }}"}
    from mkdocs.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"stamp `template` uses `\{\{ prnted_on \}\}`, which the stamp "
                                                 r"does not have.*did you mean `printed_on`\?"):
        manual.build()


@pytest.mark.parametrize(("arguments", "expected"), [
    (["amend", "--details", ""], "argument --details: is empty; expected what changed"),
    (["amend", "--details", "   "], "argument --details: is empty"),
    (["new-chapter", "Part", ""], "argument title: is empty; expected the chapter's title"),
    (["new-chapter", "Part", "!!!"], "argument title: `!!!` has no letters or digits"),
    (["new-board", "print", "Print Partnership"], "argument id: `print` is taken by the site's own `/print/`"),
    (["new-board", "Bad_Id", "Bad"], "argument id: `Bad_Id` cannot be a board id"),
    (["new-board", "good", " "], "argument name: is empty; expected the board's full name"),
])
def test_wrong_use_of_the_tools_exits_2_with_a_message(manual: Project, capsys: pytest.CaptureFixture[str],
                                                       arguments: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(manual.root), *arguments])
    assert stopped.value.code == 2
    assert expected in capsys.readouterr().err
    assert subprocess.run(["git", "status", "--porcelain"], cwd=manual.root, capture_output=True, text=True,
                          check=True).stdout == ""
