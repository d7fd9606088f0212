"""A toolchain that outlives its parts: the manual builds the same with ProperDocs (a maintained fork of
MkDocs 1.x) as with MkDocs, and the core needs no site generator at all."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from procedures_tools.same_build import compare_sites

from .conftest import REPO_ROOT, Project

_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _built_with(command: str, root: Path, target: Path) -> None:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([str(Path(sys.executable).parent / command), "build", "--strict", "-q", "-d", str(target)],
                          cwd=root, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for page in target.rglob("*.html"):  # each names its generator; nothing else may differ
        page.write_bytes(_GENERATOR.sub(b'<meta name="generator">', page.read_bytes()))


def test_properdocs_builds_every_page_of_the_demo_as_mkdocs_does(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(demo)], check=True)
    _built_with("mkdocs", demo, tmp_path / "mkdocs")
    _built_with("properdocs", demo, tmp_path / "properdocs")
    pages = list((tmp_path / "properdocs").rglob("*.html"))
    assert len(pages) > 300 and (tmp_path / "properdocs" / "dudley" / "responding" / "making-a-referral" /
                                 "index.html").is_file()
    assert compare_sites(tmp_path / "mkdocs", tmp_path / "properdocs") == []


def test_properdocs_builds_a_manual_with_boards_and_history_as_mkdocs_does(manual: Project, tmp_path: Path) -> None:
    manual.build()  # commits the manual and writes its mkdocs.yml
    _built_with("mkdocs", manual.root, tmp_path / "mkdocs")
    _built_with("properdocs", manual.root, tmp_path / "properdocs")
    assert (tmp_path / "properdocs" / "north" / "responding" / "referrals" / "index.html").is_file()
    assert compare_sites(tmp_path / "mkdocs", tmp_path / "properdocs") == []


CORE_WITHOUT_GENERATOR = """
import importlib, pkgutil, sys
class NoGenerator:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "properdocs", "material"):
            raise ImportError(f"{name} is not available")
sys.meta_path.insert(0, NoGenerator())
import mkdocs_procedures.core as core
names = [info.name for info in pkgutil.iter_modules(core.__path__)]
for name in names:
    importlib.import_module(f"mkdocs_procedures.core.{name}")
print(len(names))
"""


def test_the_core_imports_with_no_site_generator_installed() -> None:
    done = subprocess.run([sys.executable, "-c", CORE_WITHOUT_GENERATOR], capture_output=True, text=True,
                          check=False, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(list((REPO_ROOT / "plugins" / "mkdocs_procedures" / "core").glob("[!_]*.py")))
