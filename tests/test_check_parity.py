"""`procedures check` gives the verdict and the messages of `mkdocs build --strict`, in both directions:
on good manuals (the demo, a manual shaped like real MkDocs documentation) and on every kind of bad
input, including those only the build used to see (editions, plugin settings, history, the nav)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from procedures_tools.check import check_by_building

from .conftest import BOARD, REPO_ROOT, Project, chapter

Mistake = Callable[[Project], None]


def _write(path: str, text: str) -> Mistake:
    return lambda manual: manual.write(path, text)


def _setting(**values: object) -> Mistake:
    return lambda manual: manual.plugin_config().update(values)


def _nav_extra(manual: Project) -> None:
    manual.config["nav"].append({"Extra": ["specific/missing.md"]})


def _shallow(manual: Project) -> None:
    manual.write_pages({"specific/online.md": chapter("Online Safety", "## Live streaming\n\nNew.\n")})
    manual.commit("Amendment: Newer", "2026-02-01T10:00:00+00:00")
    clone = manual.root.parent / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{manual.root}", str(clone)], check=True)
    manual.root = clone


def _no_repository(manual: Project) -> None:
    subprocess.run(["rm", "-rf", str(manual.root / ".git")], check=True)


MISTAKES: dict[str, Mistake] = {
    "front matter": _write("docs/specific/online.md", chapter("Online Safety", "## Live\n", status="draft")),
    "duplicate id": _write("docs/specific/other.md", chapter("Other", id="referrals")),
    "missing page": _write("docs/specific/online.md", chapter("Online", "## Live\n\nSee [x](../responding/referal.md).\n")),
    "missing anchor": _write("docs/specific/online.md", chapter("Online", "## Live\n\n[x](../responding/referrals.md#nope)\n")),
    "board page link": _write("boards/north/pages/contacts.md", chapter("North Contacts", "See [r](responding/referals.md).\n")),
    "block link": _write("boards/north/overlays/referrals.md", "::: end-of #when-to-refer\nSee [o](../specific/onlin.md).\n:::\n"),
    "overlay anchor": _write("boards/north/overlays/referrals.md", "::: after #when-to-reefer\nText.\n:::\n"),
    "board.yml": _write("boards/north/board.yml", BOARD.replace("short_name: North\n", "")),
    "board value": _write("boards/north/pages/contacts.md", chapter("North Contacts", "Mail {{ board.contacts.front_door.email }}.\n")),
    "record": _write("amendments/old.yml", "- {chapter: referrals, details: Old change, date: 2019-13-02}\n"),
    "alias": _write("boards/north/board.yml", BOARD + "x: &a [1]\ny: *a\n"),
    "editions.yml": _write("editions.yml", "- launch\n"),
    "plugin setting": _setting(time_zone="Mars/Olympus"),
    "unknown setting": _setting(colour_scheme="blue"),
    "history ref": _setting(history={"ref": "nope"}),
    "nav": _nav_extra,
    "page not in nav": _write("docs/specific/stray.md", chapter("Stray", "Text.\n")),
    "shallow clone": _shallow,
    "no repository": _no_repository,
}


def build_messages(root: Path) -> tuple[bool, list[str]]:
    """A strict build of the manual in its own process: whether it passed, and the lines it reported."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "built")],
                          cwd=root, capture_output=True, text=True, check=False,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root)})
    lines = []
    for line in done.stderr.splitlines():
        line = re.sub(r"^(?:WARNING|ERROR)\s+-\s+|^Error: ", "", line).strip()
        line = re.sub(r"^(?:mkdocs_)?procedures: ", "", line)
        if not line or line.startswith(("INFO", "Aborted with", "Building documentation",
                                        "Cleaning site", "Documentation built")) or line == "the manual has errors:":
            continue
        lines.append(line)
    return done.returncode == 0, lines


def check_messages(root: Path) -> tuple[bool, list[str]]:
    problems = check_by_building(root, lambda src_uri: f"docs/{src_uri}")
    return not problems, [f"{problem.path}{f':{problem.line}' if problem.line else ''}: {problem.message}"
                          if not problem.message.startswith(("Doc file", "A reference", "The following"))
                          else problem.message for problem in problems]


def _same(manual: Project) -> None:
    manual.write("mkdocs.yml", yaml.safe_dump(manual.config, sort_keys=False))
    built, from_build = build_messages(manual.root)
    checked, from_check = check_messages(manual.root)
    assert built == checked, (from_build, from_check)
    for line in from_check:  # each of check's messages is the build's, word for word
        assert any(line in reported or reported in line for reported in from_build), (line, from_build)
    for reported in from_build:  # and the build says nothing check does not
        assert any(reported in line or line in reported for line in from_check), (reported, from_check)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_check_and_build_agree_on_bad_input(manual: Project, mistake: str) -> None:
    MISTAKES[mistake](manual)
    _same(manual)
    assert not check_messages(manual.root)[0]


def test_check_and_build_agree_on_a_good_manual_and_on_the_demo(manual: Project, tmp_path: Path) -> None:
    _same(manual)
    assert check_messages(manual.root) == (True, [])
    demo = tmp_path / "demo"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(demo)], check=True)
    assert build_messages(demo) == (True, []) == check_messages(demo)


ADOPTED = {
    "index.md": "# Our documentation\n\nWelcome. See the [user guide](user-guide/writing.md#exclude_docs).\n",
    "user-guide/writing.md": (
        "# Writing your docs\n\n## exclude_docs\n\nText with `[not a link](nowhere.md)` in code.\n\n"
        "> ### Quoted heading\n>\n> Quoted.\n\n!!! note\n\n    ### Heading in a note\n\n    Noted.\n\n"
        "See [the quoted one](#quoted-heading) and [the noted one](#heading-in-a-note).\n\n"
        "--8<-- \"snippets/shared.md\"\n\nSee [the snippet's heading](#from-a-snippet).\n"),
    "snippets/shared.md": "### From a snippet\n\nShared text.\n",
    "api/base-views.md": "---\nid: api-base-views\nstatus: deprecated\n---\n\n# Base views\n\nOld API.\n",
    "migration/base-views.md": "---\nid: migration-base-views\n---\n\n# Migrating base views\n\nSteps.\n",
    "release-notes/mkdocs-2.0.md": "# Release 2.0\n\nNotes.\n",
    "blog/posts/hello.md": ("---\ndate: 2026-01-05\nauthors: [editor]\ncategories: [News]\nslug: hello\n"
                            "readtime: 2\ndraft: false\n---\n\n# Hello\n\nA post.\n"),
}


def test_a_real_shaped_manual_adopts_the_plugin_with_one_line(project: Project) -> None:
    """No front matter, H1 titles, `_` in a heading linked by its anchor, headings in quotes and notes, a link
    written in code, a snippet, Material's status and blog fields, two files of one name with their own ids."""
    for path in list((project.root / "docs").glob("*.md")):
        path.unlink()
    project.write_pages(ADOPTED)
    project.config = {
        "site_name": "Adopted", "site_url": "https://docs.example.org/",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "procedures"],
        "extra": {"status": {"deprecated": "Deprecated"}},
        "exclude_docs": "snippets/\n",
        "markdown_extensions": ["admonition", {"toc": {"permalink": True}},
                               {"pymdownx.snippets": {"base_path": ["docs"]}}],
        "validation": {"omitted_files": "warn", "unrecognized_links": "warn", "anchors": "warn"},
    }
    project.commit("Adopt the plugin")
    _same(project)
    assert check_messages(project.root) == (True, [])
    built = (project.root / "built" / "user-guide" / "writing" / "index.html").read_text()
    assert "Last amended:" in built and 'id="exclude_docs"' in built
