"""Shared fixtures: temporary manuals built through MkDocs' own API, and a real browser."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import logging
import os
import shutil
import socketserver
import subprocess
import textwrap
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://procedures.example.org/"


def chapter(title: str, body: str = "## Section\n\nText.\n", **fields: Any) -> str:
    """The Markdown of one chapter with front matter."""
    front = yaml.safe_dump({"title": title, **fields}, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{textwrap.dedent(body).lstrip()}"


class Project:
    """A manual in a temporary folder: `mkdocs.yml`, `docs/`, and whatever a test adds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.use_git = True
        """Build from a git repository, committing the manual first if it has none."""
        self.config: dict[str, Any] = {
            "site_name": "Test Procedures",
            "site_url": SITE_URL,
            "theme": {"name": "material", "font": False},
            "plugins": ["search", {"procedures": {}}],
            "markdown_extensions": ["admonition", "attr_list", "md_in_html", {"toc": {"permalink": True}}],
            "validation": {"omitted_files": "warn", "unrecognized_links": "warn", "anchors": "warn"},
        }

    @property
    def site(self) -> Path:
        return self.root / "site"

    def plugin_config(self) -> dict[str, Any]:
        for plugin in self.config["plugins"]:
            if isinstance(plugin, dict) and "procedures" in plugin:
                return plugin["procedures"]  # type: ignore[no-any-return]
        raise KeyError("procedures")

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def write_pages(self, pages: Mapping[str, str]) -> None:
        for path, text in pages.items():
            self.write(f"docs/{path}", text)

    def git(self, *arguments: str, date: str = "2026-01-05T10:00:00+00:00") -> str:
        """Run git in the manual's folder with fixed author, committer and dates."""
        environment = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Procedures Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "Procedures Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
        }
        done = subprocess.run(["git", *arguments], cwd=self.root, env=environment, check=True,
                              capture_output=True)
        return done.stdout.decode("utf-8", errors="replace")

    def commit(self, message: str, date: str = "2026-01-05T10:00:00+00:00") -> str:
        """Commit everything in the manual's folder; returns the new commit's sha."""
        if not (self.root / ".git").exists():
            self.git("init", "-q", "-b", "main")
        self.write("mkdocs.yml", yaml.safe_dump(self.config, sort_keys=False))
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()

    def build(self, strict: bool = True) -> Path:
        if self.use_git and not (self.root / ".git").exists():
            self.commit("Initial manual")
        self.write("mkdocs.yml", yaml.safe_dump(self.config, sort_keys=False))
        config = load_config(config_file=str(self.root / "mkdocs.yml"), strict=strict)
        build(config)
        return self.site

    def build_errors(self) -> str:
        """Build, expecting MkDocs to abort; return what it logged as errors and warnings."""
        records: list[logging.LogRecord] = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = records.append  # type: ignore[method-assign]
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            with pytest.raises(Abort):
                self.build()
        finally:
            logger.removeHandler(handler)
        return "\n".join(record.getMessage() for record in records)

    def html(self, url_path: str) -> str:
        """The built HTML of a page, by its URL path (`responding/referrals/`)."""
        target = self.site / url_path
        if url_path.endswith("/") or url_path == "":
            target = target / "index.html"
        return target.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    manual = Project(tmp_path / "manual")
    manual.root.mkdir()
    manual.write_pages(
        {
            "index.md": chapter("Home", "Welcome.\n"),
            "contents.md": chapter("Contents", "All chapters.\n"),
        }
    )
    return manual


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own demo manual, built once per test session into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("demo") / "site"
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
    build(config)
    return site_dir


def installed(found: str | None, missing: str, needed_for: str) -> str:
    """A program the tests need, as found. Missing, it skips the test locally and fails it under CI=true,
    where nothing may be skipped silently."""
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing}; CI must {needed_for}")
    pytest.skip(missing)


def chromium_executable() -> str:
    """Debian's Chromium."""
    return installed(os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser"),
                     "Chromium is not installed: `apt-get install chromium` (Debian package)", "run the browser tests")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as they are now: a test rebuilds a site within the second, where `Last-Modified` (in
    whole seconds) would have the browser keep the page it read before."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 on a free port until the generator is closed."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


serving = contextlib.contextmanager(serve)
"""`with serving(folder) as root:` the folder served at `root` for the block."""


@contextlib.contextmanager
def browsing(browser: Any, folder: Path, **context_options: Any) -> Iterator[tuple[Any, str]]:
    """A fresh browser page (its own context and storage) and the address `folder` is served at."""
    with serving(folder) as root:
        context = browser.new_context(**context_options)
        try:
            yield context.new_page(), root
        finally:
            context.close()


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    yield from serve(demo_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in its own browser context (no stored board choice), London time, British English."""
    context = browser.new_context(timezone_id="Europe/London", locale="en-GB")
    try:
        yield context.new_page()
    finally:
        context.close()


ARTIFACTS = REPO_ROOT / "tests" / "artifacts"


BOARD = (
    "name: North Partnership\nshort_name: North\nwebsite: https://north.example.org/\n"
    "contacts:\n  front_door:\n    label: Door\n    phone: 01632 960111\n"
    "admins:\n  - name: Lead\n    email: lead@north.example.org\n    github: \"@example/north\"\n"
)


@pytest.fixture
def manual(project: Project) -> Project:
    """A small committed manual: two chapters in two parts, board `north` with an overlay and a page."""
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"},
                             {"Responding to concerns": ["responding/referrals.md"]},
                             {"Specific circumstances": ["specific/online.md"]}]
    project.plugin_config().update({"boards_dir": "boards", "amendments_dir": "amendments",
                                    "regional_values": {"contacts.front_door.phone": "your local number"},
                                    "procedures_group": "@example/procedures"})
    project.write_pages({
        "responding/referrals.md": chapter("Referrals", "## When to refer\n\nSee [online](../specific/online.md).\n",
                                           owner="Group A", next_review=dt.date(2026, 12, 1)),
        "specific/online.md": chapter("Online Safety", "## Live streaming\n\nText.\n", owner="Group B",
                                      next_review=dt.date(2026, 10, 1)),
    })
    project.write("boards/north/board.yml", BOARD)
    project.write("boards/north/overlays/referrals.md", "::: end-of #when-to-refer\nNorth text.\n:::\n")
    project.write("boards/north/pages/contacts.md", chapter("North Contacts", "Ring {{ board.contacts.front_door.phone }}.\n"))
    project.write("amendments/old.yml", "- {chapter: referrals, details: Old change, date: 2019-01-02}\n")
    project.write("mkdocs.yml", "")
    project.commit("Publish", "2026-01-05T10:00:00+00:00")
    return project
