"""`procedures preview-amendments`: the amendments a branch will add to the log once it is merged.

A pull or merge request's reviewers see, before merging, what readers will be told: each commit of the
branch that the published branch does not have yet, as the log will list it (chapter, board, details),
dated as the branch has it (the log dates a merged change by its merge). Editorial commits
(`Amendment: none`) are listed as adding nothing, so a reviewer can tell a missing trailer from a typo fix.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import git

from mkdocs_procedures.core.amendments import amendments_from_history, titles_and_ids, uk_date
from mkdocs_procedures.core.history import History, read_history

from .manual import Manual, ManualError


@dataclass(frozen=True)
class PreviewRow:
    chapter: str
    board: str | None
    details: str
    date: str
    commit: str
    withdrawn: bool = False


@dataclass(frozen=True)
class Preview:
    base: str
    rows: list[PreviewRow]
    editorial: list[str]
    """The branch's editorial commits (first lines): they add no amendment."""


def preview_amendments(manual: Manual, base: str) -> Preview:
    """The amendments the commits on HEAD and not on `base` make, newest first."""
    repository = git.Repo(manual.root, search_parent_directories=True)
    try:
        branch_only = set(repository.git.rev_list(f"{base}..HEAD").split())
    except git.GitCommandError as error:
        raise ManualError(f"`{base}` is not a branch or commit of this repository: fetch the published branch "
                          "first (`git fetch origin main`), or pass --base") from error
    roots = [manual.docs_dir, manual.boards_dir or "boards"]
    history = read_history(manual.root, roots, allow_shallow=True)
    branch = History(tuple(commit for commit in history.commits if commit.sha in branch_only), history.shallow,
                     history.prefix, history.repository)
    zone = ZoneInfo(manual.time_zone)
    amendments = amendments_from_history(branch, manual.catalogue(), zone, *titles_and_ids(branch))
    names = {board.id: board.short_name for board in manual.region.boards.values()}
    rows = [PreviewRow(amendment.title, names.get(amendment.board or "", amendment.board), amendment.details,
                       uk_date(amendment.date), (amendment.commit or "")[:12], amendment.withdrawn)
            for amendment in amendments]
    editorial = [commit.subject for commit in branch.commits if commit.editorial]
    return Preview(base, rows, editorial)


def as_markdown(preview: Preview) -> str:
    """A summary for a pull or merge request, or a CI job's summary page."""
    lines = [f"### Amendments this change will add (compared with `{preview.base}`)", ""]
    if preview.rows:
        lines += ["| Chapter | Board | Details | Date |", "| --- | --- | --- | --- |"]
        for row in preview.rows:
            chapter = row.chapter + (" (withdrawn)" if row.withdrawn else "")
            lines.append(f"| {_cell(chapter)} | {_cell(row.board or 'shared')} | {_cell(row.details)} | {row.date} |")
    else:
        lines.append("None: this change adds nothing to the amendments log.")
    if preview.editorial:
        lines += ["", "Editorial commits (no amendment): " + "; ".join(_cell(subject) for subject in preview.editorial)]
    return "\n".join(lines) + "\n"


def as_json(preview: Preview) -> str:
    return json.dumps({"base": preview.base, "amendments": [dataclasses.asdict(row) for row in preview.rows],
                       "editorial": preview.editorial}, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    """Text in a Markdown table cell: pipes and line breaks escaped, HTML shown as text."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", " "))
