"""A real git repository in a temporary folder, with commits at fixed dates."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path


class Repository:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *arguments: str, date: str = "2026-01-05T10:00:00+00:00", stdin: bytes | None = None) -> str:
        environment = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Procedures Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "Procedures Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
        }
        done = subprocess.run(["git", *arguments], cwd=self.root, env=environment, check=True,
                              capture_output=True, input=stdin)
        return done.stdout.decode("utf-8", errors="replace")

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str | bytes, date: str, **files: str) -> str:
        """Write `files`, stage everything and commit; returns the sha.

        File names are keyword arguments: `__` stands for `/` and a final `_md`, `_yml` or `_py` for the
        extension, so `docs__a_md` is `docs/a.md`.
        """
        for name, text in files.items():
            self.write(re.sub(r"_(md|yml|py)$", r".\1", name.replace("__", "/")), text)
        self.git("add", "-A")
        raw = message if isinstance(message, bytes) else message.encode("utf-8")
        self.git("commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", "-", date=date, stdin=raw)
        return self.git("rev-parse", "HEAD").strip()
