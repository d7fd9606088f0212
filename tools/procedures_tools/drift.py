"""`procedures drift`: local blocks whose regional section changed after the block was last changed."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mkdocs_procedures.core.amendments import Amendment, amendments_from_history, uk_date
from mkdocs_procedures.core.changes import split_front_matter_safely
from mkdocs_procedures.core.history import History
from mkdocs_procedures.core.overlays import section_text

from .manual import Manual


@dataclass(frozen=True)
class Drift:
    board: str
    path: str
    line: int
    anchor: str | None
    chapter_path: str
    regional: Amendment
    block_changed: Amendment | None

    def __str__(self) -> str:
        where = f"section #{self.anchor}" if self.anchor else "the chapter"
        since = (f"after this block was last changed on {uk_date(self.block_changed.date)}"
                 if self.block_changed else "and this block has no history")
        return (f"{self.path}:{self.line}: board `{self.board}`: {where} of {self.chapter_path} changed on "
                f"{uk_date(self.regional.date)} ({self.regional.details}) {since}; re-check the local text")


def find_drift(manual: Manual, history: History, board: str | None = None) -> list[Drift]:
    amendments = amendments_from_history(history, manual.catalogue(), ZoneInfo("UTC"))
    by_id = {chapter.chapter.id: chapter for chapter in manual.chapters}
    found = []
    for chapter_id, overlays in manual.region.overlays.items():
        chapter = by_id[chapter_id]
        regional = [a for a in amendments if a.chapter == chapter_id and a.board is None and a.change]
        for overlay in overlays:
            if board is not None and overlay.board != board:
                continue
            own = [a for a in amendments if a.path == overlay.path and a.board == overlay.board]
            last_own = own[0] if own else None  # newest first
            later = [a for a in regional if last_own is None or (a.landed_at and last_own.landed_at
                                                                   and a.landed_at > last_own.landed_at)]
            for block in overlay.blocks:
                changed = next((a for a in later if _section_changed(history, a, block.anchor)), None)
                if changed is not None:
                    found.append(Drift(overlay.board, overlay.path, block.line, block.anchor,
                                       chapter.chapter.path, changed, last_own))
    return sorted(found, key=lambda drift: (drift.path, drift.line))


def _section_changed(history: History, amendment: Amendment, anchor: str | None) -> bool:
    change = amendment.change
    if change is None:
        return False
    before = section_text(split_front_matter_safely(history.read_blob(change.old_blob))[1], anchor)
    after = section_text(split_front_matter_safely(history.read_blob(change.new_blob))[1], anchor)
    return before != after
