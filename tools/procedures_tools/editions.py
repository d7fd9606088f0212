"""`procedures editions`: every published edition, built once from its own tree into `site/editions/`.

An edition is a version of the published branch that an editor has marked, by a git tag
`edition/<name>` or by a line in `editions.yml` (`<name>: <commit>`, so the mark travels with the
repository's history). Each is built with `as_at`'s machinery, bannered "This is the edition of ...",
kept under `.cache/` by commit so it never changes once built, printed to one PDF per board (kept
with it), and listed in a mike-compatible `versions.json` so Material's version selector offers it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import git

from mkdocs_procedures.core.cache_files import cache_folder
from mkdocs_procedures.core.editions import EDITIONS_FILE, Edition, EditionError, find_editions
from mkdocs_procedures.core.site_layout import whole_manual_pdf

from .as_at import Version, build_version, version_tree
from .manual import Manual, ManualError
from .pdf import make_pdfs


def build_editions(manual: Manual, site: Path, zone: ZoneInfo, print_pdfs: bool = True) -> list[Path]:
    """Build (or take from the cache) every edition into `site/editions/<name>/`, and `versions.json`;
    with `print_pdfs`, each edition also has its PDFs per board, printed once like the edition itself."""
    try:
        editions = find_editions(manual.root)
    except EditionError as error:
        raise ManualError(str(error)) from error
    target_root = site / "editions"
    built = []
    moment = dt.datetime.now(zone)
    for edition in editions:
        cached = cache_folder(manual.root) / "editions" / f"{edition.name}-{edition.sha}"
        is_built = (cached / "index.html").is_file()
        is_printed = (cached / whole_manual_pdf(None)).is_file()
        if not is_built or (print_pdfs and not is_printed):
            with version_tree(manual, edition.sha) as project:
                if not is_built:
                    day = edition.landed_at.astimezone(zone).date().isoformat()
                    try:
                        build_version(project, Version(edition.sha, edition.landed_at), cached,
                                      f"edition {edition.name} {day} {edition.sha}", site)
                    except ManualError as error:
                        raise ManualError(f"{edition.marked_by} does not build: {error}") from error
                if print_pdfs:
                    make_pdfs(Manual.load(project), cached, moment)
        target = target_root / edition.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(cached, target)
        built.append(target)
    if editions:
        versions = [{"version": edition.name, "title": f"Edition {edition.name}",
                     "aliases": []} for edition in reversed(editions)]
        (target_root / "versions.json").write_text(json.dumps(versions, indent=2), encoding="utf-8")
    return built


def mark_edition(manual: Manual, name: str, reference: str) -> Edition:
    """Add `<name>: <commit>` to editions.yml (the commit `reference` names), checked like every mark:
    a new name, a version on the published branch. The editor commits the file to publish the mark."""
    try:
        taken = {edition.name: edition for edition in find_editions(manual.root)}
        sha = manual.repository().commit(reference).hexsha
    except EditionError as error:
        raise ManualError(str(error)) from error
    except (git.BadName, ValueError) as error:
        raise ManualError(f"`{reference}` is not a commit of this repository") from error
    if name in taken:
        raise ManualError(f"edition `{name}` is already marked by {taken[name].marked_by}; choose another name")
    listed = manual.root / EDITIONS_FILE
    before = listed.read_text(encoding="utf-8") if listed.is_file() else None
    text = before or "# Published editions: `<name>: <commit>`, oldest first (`procedures mark-edition`).\n"
    listed.write_text(text.rstrip("\n") + f"\n{name}: {sha}\n", encoding="utf-8")
    try:
        return next(edition for edition in find_editions(manual.root) if edition.name == name)
    except EditionError as error:
        if before is None:
            listed.unlink()
        else:
            listed.write_text(before, encoding="utf-8")
        raise ManualError(str(error)) from error
