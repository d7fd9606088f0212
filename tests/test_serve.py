"""`make serve` (`mkdocs serve --dirty`): an edit to a chapter or to a board's overlay is shown without
rebuilding the whole manual, and made files are rewritten only when their content changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from mkdocs_procedures.machinery.kept_files import KeptFiles, forget_stale_outputs

from .conftest import Project


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


@pytest.fixture
def served(manual: Project) -> Iterator[str]:
    manual.plugin_config()["pdf"] = True
    manual.write("mkdocs.yml", yaml.safe_dump(manual.config, sort_keys=False))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                              cwd=manual.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


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
