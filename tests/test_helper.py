"""The helper process: the boards' copies and what-changed views made beside MkDocs are the same files
as those made in MkDocs' own process, and a failure in the helper fails the build with its reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_procedures.machinery.helper import Helper
from mkdocs_procedures.machinery.old_outputs import OldOutputs

from .conftest import REPO_ROOT


def _pid() -> int:
    return os.getpid()


def _fail(chapter: str) -> None:
    raise ValueError(f"no page for {chapter}")


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
    assert helper.executor is None


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


def test_a_rebuild_deletes_the_old_copies_and_views_beside_it(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mkdocs_procedures.machinery.site_build.can_fork", lambda: True)
    site = tmp_path / "site"
    _build_demo(site, True)
    stale = [site / "changes" / "000000000000-gone.html", site / "walsall" / "gone" / "index.html"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("from an older build")
    _build_demo(site, True)
    assert not any(path.exists() for path in stale)
    assert (site / "walsall" / "responding" / "making-a-referral" / "index.html").is_file()
    assert any((site / "changes").iterdir())
    assert not (REPO_ROOT / ".cache" / "procedures" / "trash").exists()


def test_old_outputs_on_another_disk_are_left_to_the_generator(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site" / "changes").mkdir(parents=True)
    real_stat = os.stat

    def other_disk(path: object, **options: object) -> os.stat_result:
        found = real_stat(path, **options)  # type: ignore[arg-type]
        if str(path).endswith("trash"):
            return os.stat_result((found.st_mode, found.st_ino, found.st_dev + 1, *tuple(found)[3:]))
        return found

    monkeypatch.setattr(os, "stat", other_disk)
    old = OldOutputs(tmp_path / "trash")
    assert old.delete_beside(tmp_path / "site", ["changes", "walsall"]) == []
    assert (tmp_path / "site" / "changes").is_dir()
