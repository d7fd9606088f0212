"""The helper process: the boards' copies and what-changed views made beside MkDocs are the same files
as those made in MkDocs' own process, and a failure in the helper fails the build with its reason."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from mkdocs_procedures.machinery.amendment_pages import LOG_SLOT, AmendmentPages
from mkdocs_procedures.machinery.build_lock import BuildLock
from mkdocs_procedures.machinery.helper import NICENESS, Helper
from mkdocs_procedures.machinery.old_outputs import OldOutputs
from mkdocs_procedures.machinery.site_build import SiteBuild
from mkdocs_procedures.render.output_files import UnchangedOutputs

from .conftest import REPO_ROOT, Project


def _pid() -> int:
    return os.getpid()


def _fail(chapter: str) -> None:
    raise ValueError(f"no page for {chapter}")


def _fail_to_write(pages: AmendmentPages, site_dir: str) -> None:
    raise ValueError("the views could not be made")


def test_jobs_run_in_a_second_process_in_the_order_given(tmp_path: Path) -> None:
    log = tmp_path / "log"

    def append(text: str) -> int:
        with log.open("a") as out:
            out.write(text)
        return os.getpid()

    helper = Helper({"append": append}, beside=True)
    results = [helper.give("append", letter) for letter in "abcdef"]
    seconds = helper.finish()
    assert log.read_text() == "abcdef"
    pids = {result() for result in results}
    assert len(pids) == 1 and pids != {os.getpid()}
    assert set(seconds) == {"append"} and seconds["append"] > 0


def test_lanes_run_side_by_side_each_in_the_order_given(tmp_path: Path) -> None:
    def append(log: str, text: str) -> int:
        with (tmp_path / log).open("a") as out:
            out.write(text)
        return os.getpid()

    def wait_for(log: str, text: str) -> int:
        deadline = time.monotonic() + 30
        # The other lane may start before the first lane has written anything: no file yet.
        while time.monotonic() < deadline and text not in ((tmp_path / log).read_text()
                                                          if (tmp_path / log).exists() else ""):
            time.sleep(0.01)
        return append("second", "!")

    helper = Helper({"first": append, "second": append, "wait": wait_for}, beside=True,
                    lanes={"second": "other", "wait": "other"})
    firsts = [helper.give("first", "first", letter) for letter in "abc"]
    # The other lane waits for the first lane's last job: they run side by side, or this never ends.
    other = [helper.give("second", "second", "x"), helper.give("wait", "first", "c"),
             helper.give("second", "second", "y")]
    helper.finish()
    assert (tmp_path / "first").read_text() == "abc" and (tmp_path / "second").read_text() == "x!y"
    first_pids, other_pids = {result() for result in firsts}, {result() for result in other}
    assert len(first_pids) == len(other_pids) == 1 and first_pids != other_pids
    assert os.getpid() not in first_pids | other_pids


def test_a_lane_holds_few_jobs_waiting_and_the_giver_waits_for_the_rest(tmp_path: Path) -> None:
    """Each waiting job holds a rendered page: a lane slower than MkDocs must not hold them all."""
    def slow(number: int) -> int:
        time.sleep(0.3)
        return number

    helper = Helper({"slow": slow}, beside=True, waiting=2)
    helper.open("slow")
    started = time.monotonic()
    results = [helper.give("slow", 1), helper.give("slow", 2)]
    assert time.monotonic() - started < 0.2  # two may wait
    results.append(helper.give("slow", 3))  # a third waits for the first to be done
    assert time.monotonic() - started >= 0.25
    helper.finish()
    assert [result() for result in results] == [1, 2, 3]


def _niceness() -> int:
    return os.nice(0)


def test_a_lanes_process_gives_way_to_the_generators() -> None:
    helper = Helper({"niceness": _niceness, "pid": _pid}, beside=True)
    niceness, pid = helper.give("niceness"), helper.give("pid")
    helper.finish()
    assert pid() != os.getpid()
    assert niceness() == min(os.nice(0) + NICENESS, 19) > os.nice(0)


def test_jobs_run_in_place_when_the_helper_is_not_beside() -> None:
    helper = Helper({"pid": _pid}, beside=False)
    assert helper.give("pid")() == os.getpid()
    assert set(helper.finish()) == {"pid"}


@pytest.mark.parametrize("beside", [True, False])
def test_a_failed_job_raises_its_error_when_the_helper_finishes(beside: bool) -> None:
    helper = Helper({"fail": _fail, "pid": _pid}, beside=beside)
    with pytest.raises(ValueError, match="no page for referrals"):
        helper.give("fail", "referrals")
        helper.give("pid")
        helper.finish()
    assert helper.executors == {}


def _build_demo(site_dir: Path, helper_process: bool) -> bool:
    """Build the demo manual; whether a second process made the boards' copies."""
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
    plugin = config.plugins["procedures"]
    plugin.config.helper_process = helper_process  # type: ignore[attr-defined]
    build(config)
    return plugin.build.helper.in_second_process  # type: ignore[attr-defined, no-any-return]


def test_the_demo_built_with_the_helper_is_the_demo_built_without_it(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the same stamp on both
    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)  # a one-core machine too
    assert _build_demo(tmp_path / "beside", True)
    assert not _build_demo(tmp_path / "in-place", False)
    files = {path.relative_to(tmp_path / "beside") for path in (tmp_path / "beside").rglob("*") if path.is_file()}
    others = {path.relative_to(tmp_path / "in-place") for path in (tmp_path / "in-place").rglob("*")
              if path.is_file()}
    assert files == others
    assert Path("walsall/responding/making-a-referral/index.html") in files
    assert any(path.parts[0] == "changes" for path in files)
    different = [path for path in sorted(files)
                 if (tmp_path / "beside" / path).read_bytes() != (tmp_path / "in-place" / path).read_bytes()]
    assert different == []


def test_a_rebuild_writes_over_the_old_copies_and_deletes_what_it_did_not_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)
    site = tmp_path / "site"
    _build_demo(site, True)
    copy = site / "walsall" / "responding" / "making-a-referral" / "index.html"
    inode = copy.stat().st_ino
    stale = [site / "changes" / "000000000000-gone.html", site / "walsall" / "gone" / "index.html",
             site / "walsall" / "gone" / "deeper" / "old.pdf"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("from an older build")
    first = {path.relative_to(site) for path in site.rglob("*")} - {path.relative_to(site) for path in stale}
    _build_demo(site, True)
    assert not any(path.exists() for path in stale)
    assert not (site / "walsall" / "gone").exists()
    assert {path.relative_to(site) for path in site.rglob("*")} - {Path("walsall/gone"), Path("walsall/gone/deeper")} \
        == first - {Path("walsall/gone"), Path("walsall/gone/deeper")}
    assert copy.stat().st_ino == inode  # written over, not deleted and made again
    assert "<title>Making a Referral to Children's Social Care - Walsall:" in copy.read_text()
    assert list((REPO_ROOT / ".cache" / "procedures" / "kept").iterdir()) == []


def test_a_rebuild_writes_over_the_regional_pages_and_clears_what_mkdocs_does_not_list_in_their_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)
    site = tmp_path / "site"
    _build_demo(site, True)
    page = site / "responding" / "making-a-referral" / "index.html"
    inode = page.stat().st_ino
    foreign = site / "responding" / "left-by-another-plugin.txt"
    foreign.write_text("written by a plugin that writes only what is missing")
    seen_by_plugins: list[bool] = []
    original = SiteBuild.start_helper

    def start_helper(self: SiteBuild, *arguments: object) -> None:
        seen_by_plugins.append(foreign.exists())  # what the other plugins find once the pages are read
        original(self, *arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteBuild, "start_helper", start_helper)
    _build_demo(site, True)
    assert seen_by_plugins == [False] and not foreign.exists()
    assert page.stat().st_ino == inode  # written over, not deleted and made again
    assert "<title>Making a Referral to Children's Social Care" in page.read_text()


def test_shared_folders_go_back_with_only_the_files_the_generator_lists(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "guides" / "a").mkdir(parents=True)
    (site / "guides" / "a" / "index.html").write_text("old page")
    (site / "guides" / "a" / "extra.txt").write_text("another plugin's")
    (site / "changes").mkdir()
    (site / "changes" / "v.html").write_text("old view")
    old = OldOutputs(tmp_path / "kept")
    assert old.set_aside(site, ["changes"], shared=["guides", "absent", "changes"]) == ["changes", "guides"]
    shutil.rmtree(site)  # as the generator empties the site folder
    old.put_back({"guides/a/index.html"})
    assert (site / "guides" / "a" / "index.html").read_text() == "old page"
    assert not (site / "guides" / "a" / "extra.txt").exists()
    assert (site / "changes" / "v.html").read_text() == "old view"  # the plugin's own folders come back whole
    (site / "changes" / "v.html").write_text("this build's view")
    assert old.delete_unwritten() == [site / "guides" / "a" / "index.html"]  # not written by this build
    assert not (site / "guides").exists() and (site / "changes" / "v.html").exists()


def test_old_outputs_on_another_disk_are_left_to_the_generator(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site" / "changes").mkdir(parents=True)
    real_stat = os.stat

    def other_disk(path: object, **options: object) -> os.stat_result:
        found = real_stat(path, **options)  # type: ignore[arg-type]
        if str(path).endswith("kept"):
            return os.stat_result((found.st_mode, found.st_ino, found.st_dev + 1, *tuple(found)[3:]))
        return found

    monkeypatch.setattr(os, "stat", other_disk)
    old = OldOutputs(tmp_path / "kept")
    assert old.set_aside(tmp_path / "site", ["changes", "walsall"]) == []
    assert (tmp_path / "site" / "changes").is_dir()
    assert old.delete_unwritten() == []


def test_a_stopped_build_leaves_nothing_set_aside_for_the_next(tmp_path: Path) -> None:
    (tmp_path / "site" / "changes").mkdir(parents=True)
    (tmp_path / "site" / "changes" / "a.html").write_text("old view")
    stopped = OldOutputs(tmp_path / "kept")
    assert stopped.set_aside(tmp_path / "site", ["changes"]) == ["changes"]
    next_build = OldOutputs(tmp_path / "kept")  # the first never put its folders back
    assert next_build.set_aside(tmp_path / "site", ["changes"]) == []
    assert list((tmp_path / "kept").iterdir()) == []


def test_builds_of_two_site_folders_keep_each_others_folders_apart(tmp_path: Path) -> None:
    for site in ("one", "two"):
        (tmp_path / site / "changes").mkdir(parents=True)
        (tmp_path / site / "changes" / "a.html").write_text(f"view of {site}")
    first, second = OldOutputs(tmp_path / "kept"), OldOutputs(tmp_path / "kept")
    assert first.set_aside(tmp_path / "one", ["changes"]) == ["changes"]
    assert second.set_aside(tmp_path / "two", ["changes"]) == ["changes"]  # while the first still builds
    first.put_back()
    second.put_back()
    assert [(tmp_path / site / "changes" / "a.html").read_text() for site in ("one", "two")] == \
        ["view of one", "view of two"]


def test_a_second_build_into_the_same_site_is_refused_while_one_runs(manual: Project) -> None:
    root = manual.root
    lock = BuildLock(root / ".cache" / "procedures", root / "site")
    lock.acquire()
    try:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                              capture_output=True, text=True, check=False)
        assert done.returncode != 0
        assert f"procedures: another build is writing into {root / 'site'} (process {os.getpid()})" in done.stderr
        assert not (root / "site" / "index.html").exists()
    finally:
        lock.release()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "index.html").is_file()


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:\t", 1)[1][:1]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie is gone: it only waits to be reaped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper process runs on Linux only")
def test_the_helper_dies_with_a_killed_build(tmp_path: Path) -> None:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                             cwd=REPO_ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and build.poll() is None and not children:
        children = _children(build.pid)
        time.sleep(0.01)
    assert children, "the build made no helper process (one core?)"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(_alive, children)):
        time.sleep(0.05)
    assert [pid for pid in children if _alive(pid)] == []


BUSY_BUILD = """
import sys, time
from mkdocs_procedures.machinery.helper import NICENESS, Helper
helper = Helper({"sleep": time.sleep, "nap": time.sleep}, beside=True)
helper.give("sleep", 60)
helper.give("nap", 60)
print(*[process.pid for executor in helper.executors.values() for process in executor._processes.values()],
      flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper process runs on Linux only")
def test_a_busy_helper_is_killed_with_its_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", BUSY_BUILD], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    helpers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(helpers) == 2 and all(map(_alive, helpers))  # one process for each lane
    time.sleep(0.2)  # the job has started: the helper sleeps in it, reading nothing from its parent
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(map(_alive, helpers)):
        time.sleep(0.05)
    assert [pid for pid in helpers if _alive(pid)] == []


def test_a_feed_with_the_same_content_is_kept_and_the_rest_made_again(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)
    site = tmp_path / "site"
    _build_demo(site, True)
    feed = next((site / "walsall" / "feeds").glob("*.xml"))
    view = next((site / "changes").glob("*.html"))
    before = {path: (path.stat().st_ino, path.read_bytes()) for path in (feed, view)}
    feed.write_text(feed.read_text() + "<!-- the last build's own file -->")  # kept files are not read again
    _build_demo(site, True)
    assert feed.read_text().endswith("<!-- the last build's own file -->")
    assert feed.stat().st_ino == before[feed][0]
    assert view.read_bytes() != b"" and view.stat().st_ino == before[view][0]
    # Into another folder, nothing is taken for kept: every feed is written.
    other = tmp_path / "other"
    _build_demo(other, True)
    assert (other / feed.relative_to(site)).read_bytes() == before[feed][1]


def test_only_a_finished_build_into_the_same_folder_is_trusted(tmp_path: Path) -> None:
    record, site = tmp_path / "outputs.json", tmp_path / "site"
    (site / "feeds").mkdir(parents=True)
    (site / "feeds" / "a.xml").write_text("feed a")
    first = UnchangedOutputs(record, site)
    assert not first.unchanged("feeds/a.xml", ("content", 1))
    first.save()
    assert UnchangedOutputs(record, site).unchanged("feeds/a.xml", ("content", 1))
    assert not UnchangedOutputs(record, site).unchanged("feeds/a.xml", ("content", 2))  # the first one ate the record
    first.save()
    assert not UnchangedOutputs(record, tmp_path / "elsewhere").unchanged("feeds/a.xml", ("content", 1))
    first.save()
    (site / "feeds" / "a.xml").unlink()
    assert not UnchangedOutputs(record, site).unchanged("feeds/a.xml", ("content", 1))  # gone: made again


@pytest.mark.parametrize("fails", [False, True])
def test_the_logs_are_handed_over_in_files_gone_when_the_build_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    fails: bool) -> None:
    """The helper writes each log page's HTML to a file of its own for MkDocs' process to read, in a folder
    of the site folder's own under `.cache/`: what a stopped build left there is deleted when the next
    build starts, and the folder when the build ends, or fails."""
    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)
    site = tmp_path / "site"
    folder = REPO_ROOT / ".cache" / "procedures" / "logs" / BuildLock(tmp_path, site).name
    folder.mkdir(parents=True)
    (folder / "left-by-a-stopped-build.html").write_text("<p>old</p>")
    handed_over: list[list[str]] = []
    with_log = AmendmentPages.with_log

    def reading(pages: AmendmentPages, output: str, src_uri: str) -> str:
        assert pages.later_log_pages is not None
        handed_over.append(sorted(path.name for path in pages.later_log_pages().iterdir()))
        assert pages.later_log_pages() == folder
        return with_log(pages, output, src_uri)

    monkeypatch.setattr(AmendmentPages, "with_log", reading)
    if fails:  # in the helper process, after the logs are handed over
        monkeypatch.setattr(AmendmentPages, "write_files", _fail_to_write)
        with pytest.raises(Abort):
            _build_demo(site, helper_process=True)
    else:
        assert _build_demo(site, helper_process=True)
        log = (site / "walsall" / "amendments" / "index.html").read_text(encoding="utf-8")
        assert "<table" in log and LOG_SLOT not in log
        # Ten sites' Amendments and Editions pages, and nothing a stopped build left.
        assert len(handed_over) == 20 and all(len(names) == 20 for names in handed_over)
        assert "left-by-a-stopped-build.html" not in handed_over[0]
    assert not folder.exists()


def test_mkdocs_holds_no_chapter_text_once_it_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chapter's Markdown and HTML (every board's version of it) are let go of once MkDocs has written the
    page; pages the plugin does not vary keep theirs, for other plugins."""
    written: list[Page] = []
    written_page = SiteBuild.written_page

    def seen(build: SiteBuild, output: str, page: Page, site_dir: str) -> str:
        written.append(page)
        return written_page(build, output, page, site_dir)

    monkeypatch.setattr(SiteBuild, "written_page", seen)
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    build(config)
    variants = config.plugins["procedures"].build.variants  # type: ignore[attr-defined]
    chapters = [page for page in written if page.file.src_uri in variants]
    others = [page for page in written if page.file.src_uri not in variants]
    assert len(chapters) >= 20 and others
    assert [page.file.src_uri for page in chapters if page.content is not None or page.markdown is not None] == []
    assert all(page.content for page in others)
    page = (tmp_path / "site" / "responding" / "making-a-referral" / "index.html").read_text(encoding="utf-8")
    assert "Making a Referral" in page and 'data-board="walsall"' in page


def test_a_chapter_keeps_its_own_markdown_once_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once rendered, a chapter holds its own Markdown again, not the merged one with every board's blocks
    (which MkDocs would hold until the page is written); the page shows every board's blocks."""
    from mkdocs.utils.meta import get_data

    markdown_then: dict[str, str | None] = {}
    decorated_content = SiteBuild.decorated_content

    def seen(build: SiteBuild, page: Page) -> str:
        markdown_then[page.file.src_uri] = page.markdown
        return decorated_content(build, page)

    monkeypatch.setattr(SiteBuild, "decorated_content", seen)
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    build(config)
    variants = config.plugins["procedures"].build.variants  # type: ignore[attr-defined]
    chapter = "responding/making-a-referral.md"
    assert variants[chapter].regional is not None and chapter in markdown_then
    regional = [uri for uri in markdown_then if uri in variants and variants[uri].regional is not None
                and variants[uri].board is None]
    assert len(regional) >= 20
    for uri in regional:
        own = get_data((REPO_ROOT / "docs" / uri).read_text(encoding="utf-8-sig"))[0]
        assert markdown_then[uri] is not None and markdown_then[uri].strip() == own.strip(), uri
    page = (tmp_path / "site" / "responding" / "making-a-referral" / "index.html").read_text(encoding="utf-8")
    assert all(f'data-board="{board}"' in page for board in ("walsall", "dudley", "sandwell"))


def test_mkdocs_process_lets_go_of_the_history_once_the_helper_has_the_views(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commits read from git (megabytes in a long history) are let go of in MkDocs' process once the
    helper, which reads them, has the views to make; the views are made all the same."""
    from mkdocs_procedures.core import history

    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)
    read: list[int] = []
    let_go = AmendmentPages.let_go_of_history

    def noted(pages: AmendmentPages) -> None:
        read.append(len(history._READ))
        let_go(pages)

    monkeypatch.setattr(AmendmentPages, "let_go_of_history", noted)
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    plugin = config.plugins["procedures"]
    plugin.config.helper_process = True  # type: ignore[attr-defined]
    build(config)
    assert read == [1] and history._READ == {}
    amendments = plugin.build.amendments  # type: ignore[attr-defined]
    assert amendments.readers is None and amendments.views.readers is None
    views = [view.read_text(encoding="utf-8") for view in (tmp_path / "site").glob("**/changes/*.html")]
    assert len(views) >= 20
    assert sum("What changed" in view and "<del" in view for view in views) >= 5
    log = (tmp_path / "site" / "walsall" / "amendments" / "index.html").read_text(encoding="utf-8")
    assert "<table" in log and LOG_SLOT not in log
