"""`procedures owners`: CODEOWNERS from board.yml admins, so each board admin changes only their board."""

from __future__ import annotations

from .manual import Manual

CODEOWNERS = "CODEOWNERS"


def codeowners(manual: Manual) -> str:
    group = manual.procedures_group
    boards_dir = (manual.boards_dir or "boards").strip("/")
    lines = [
        "# Written by `procedures owners` from each boards/<id>/board.yml `admins`; do not edit by hand.",
        "# Later rules win: each board's admins own their own folder, the procedures group the rest.",
        f"* {group}",
        f"/{manual.docs_dir.strip('/')}/ {group}",
        f"/{(manual.amendments_dir or 'amendments').strip('/')}/ {group}",
        f"/{boards_dir}/ {group}",
    ]
    for board in manual.region.boards.values():
        owners = [admin.github or admin.email for admin in board.admins]
        lines.append(f"/{boards_dir}/{board.id}/ {' '.join(owners)}")
    return "\n".join(lines) + "\n"
