"""A synthetic manual for the benchmark: N chapters, B boards, C dated commits with merges and renames.

The history is written with `git fast-import`, so ten thousand commits take seconds, not minutes.
Everything is derived from a seeded random generator: the same sizes give the same manual.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

WORDS = (
    "child", "family", "practitioner", "referral", "concern", "assessment", "safety", "plan", "school",
    "health", "police", "social", "care", "meeting", "record", "information", "share", "consent", "risk",
    "support", "review", "conference", "strategy", "enquiry", "harm", "neglect", "parent", "carer", "agency",
    "manager", "decision", "timescale", "working", "day", "local", "partnership", "report", "visit",
)
HEADINGS = ("Purpose", "Scope", "Definitions", "Recognising concerns", "What to do", "Timescales",
            "Recording", "Information sharing", "Escalation", "Further guidance", "Roles", "Review")
START = dt.datetime(2015, 1, 5, 9, 0, tzinfo=dt.UTC)


@dataclass
class SyntheticManual:
    chapters: int
    boards: int
    commits: int
    seed: int = 7
    paths: list[str] = field(default_factory=list)
    renamed: set[int] = field(default_factory=set)

    def part_of(self, number: int) -> str:
        return f"part-{number % max(4, self.chapters // 25) + 1}"

    def path_of(self, number: int, renamed: bool = False) -> str:
        return f"docs/{self.part_of(number)}/chapter-{number}{'-revised' if renamed else ''}.md"

    def chapter_text(self, number: int, version: int, rng: random.Random) -> str:
        """A chapter as revision `version` has it: the same text each time but for one changed sentence,
        as real amendments change a few words, not a whole chapter."""
        rng = random.Random(self.seed * 100_003 + number)
        # Every chapter opens with "Purpose": boards place their blocks there, and links point to it.
        headings = [HEADINGS[0], *rng.sample(HEADINGS[1:], rng.randint(5, 9))]
        lines = [
            "---", f"title: Chapter {number} {headings[0]}", f"id: chapter-{number}",
            "owner: Procedures Group", "last_reviewed: 2025-01-01", "next_review: 2027-01-01", "---", "",
        ]
        for index, heading in enumerate(headings):
            revised = f" Revised in revision {version}." if index == version % len(headings) else ""
            lines += [f"## {heading}", "", _sentence(rng, 40) + "." + revised, ""]
            if index % 3 == 1:
                lines += [f"- {_sentence(rng, 10)}" for _ in range(4)] + [""]
            if index % 4 == 2:
                target = self._link_target(number, rng)
                lines += [f"See [chapter {target}](../{self.part_of(target)}/chapter-{target}.md#purpose) "
                          "and call {{ board.contacts.front_door.phone }}.", ""]
        return "\n".join(lines)

    def _link_target(self, number: int, rng: random.Random) -> int:
        # Links go to chapters that are never renamed, so every version of the manual builds strictly.
        while True:
            target = rng.randrange(self.chapters)
            if target % 10 != 7 and target != number:
                return target

    def overlay_text(self, board: int, version: int) -> str:
        return (f"::: after #purpose\nBoard {board} local text, version {version}: "
                "ring {{ board.contacts.front_door.phone }}.\n:::\n\n::: end\nBoard " + str(board) +
                " local contacts at the end of the chapter.\n:::\n")

    def overlay_chapters(self, board: int) -> list[int]:
        """A third of the chapters, those that always have a `Purpose` heading."""
        return [number for number in range(self.chapters) if number % 3 == board % 3]

    def write(self, root: Path) -> Path:
        """Create the manual and its history under `root`; returns the folder with mkdocs.yml."""
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
        stream = self._history_stream()
        subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, check=True)
        subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
        return root

    def _files_at_start(self, rng: random.Random) -> dict[str, str]:
        files = {self.path_of(n): self.chapter_text(n, 0, rng) for n in range(self.chapters)}
        files["docs/index.md"] = "---\ntitle: Home\n---\n\nSynthetic manual.\n"
        files["docs/contents.md"] = "---\ntitle: Contents\n---\n\nAll parts.\n"
        for board in range(self.boards):
            folder = f"boards/board-{board}"
            files[f"{folder}/board.yml"] = yaml.safe_dump({
                "name": f"Board {board} Safeguarding Partnership", "short_name": f"Board {board}",
                "website": f"https://board-{board}.example.org/",
                "contacts": {"front_door": {"label": "Front door", "phone": f"01632 960{board:03d}"}},
                "admins": [{"name": "Lead", "email": f"lead@board-{board}.example.org"}],
            })
            for number in self.overlay_chapters(board):
                files[f"{folder}/overlays/chapter-{number}.md"] = self.overlay_text(board, 0)
            for page in range(3):
                files[f"{folder}/pages/local-{page}.md"] = (
                    f"---\ntitle: Board {board} page {page}\n---\n\n## Local\n\n{_sentence(rng, 60)}\n")
        return files

    def _history_stream(self) -> bytes:
        rng = random.Random(self.seed)
        files = self._files_at_start(rng)
        out: list[bytes] = []
        current: dict[int, bool] = {}  # chapter number → renamed
        commit = _FastImport(out, "Bench <bench@example.org>").commit

        def modify(path: str, text: str) -> bytes:
            return _modify(path, text.encode())

        main = commit("refs/heads/main", START, "Publish the manual\n\nAmendment: First edition\n",
                      [modify(path, text) for path, text in files.items()], None)
        when = START
        number = 1
        while number < self.commits:
            when += dt.timedelta(hours=3)
            chapter = rng.randrange(self.chapters)
            renamed = current.get(chapter, False)
            if number % 50 == 0 and number + 2 < self.commits:
                # A side branch of two commits, merged: three commits.
                side = commit(f"refs/heads/side-{number}", when, f"Draft {number}\n\nAmendment: Draft {number}\n",
                              [modify(self.path_of(chapter, renamed), self.chapter_text(chapter, number, rng))],
                              main)
                other = rng.randrange(self.chapters)
                side = commit(f"refs/heads/side-{number}", when + dt.timedelta(minutes=5), "Amendment: none",
                              [modify(self.path_of(other, current.get(other, False)),
                                      self.chapter_text(other, number, rng))], side)
                main = commit("refs/heads/main", when + dt.timedelta(hours=1), f"Merge draft {number}", [],
                              main, merge=side)
                number += 3
                continue
            if chapter % 10 == 7 and not renamed and number % 20 == 0:
                change = f"R {self.path_of(chapter)} {self.path_of(chapter, True)}\n".encode()
                current[chapter] = True
                main = commit("refs/heads/main", when, "Amendment: none", [change], main)
            elif self.boards and number % 4 == 0:
                board = rng.randrange(self.boards)
                target = rng.choice(self.overlay_chapters(board))
                main = commit("refs/heads/main", when, f"Board {board} update {number}",
                              [modify(f"boards/board-{board}/overlays/chapter-{target}.md",
                                      self.overlay_text(board, number))], main)
            else:
                main = commit("refs/heads/main", when, f"Revise chapter {chapter}\n\nAmendment: Revision {number}\n",
                              [modify(self.path_of(chapter, renamed), self.chapter_text(chapter, number, rng))],
                              main)
            number += 1
        self.renamed = {chapter for chapter, renamed in current.items() if renamed}
        when += dt.timedelta(hours=3)
        for plain in (False, True):
            name = "mkdocs-plain.yml" if plain else "mkdocs.yml"
            main = commit("refs/heads/main", when, f"Configure {name}\n\nAmendment: none\n",
                          [modify(name, self.mkdocs_yml(plain))], main)
        return b"".join(out) + b"done\n"

    def mkdocs_yml(self, plain: bool) -> str:
        parts: dict[str, list[str]] = {}
        for number in range(self.chapters):
            path = self.path_of(number, number in self.renamed).removeprefix("docs/")
            parts.setdefault(self.part_of(number), []).append(path)
        nav: list[object] = [{"Home": "index.md"}, {"Contents": "contents.md"}]
        if not plain:
            nav.append({"Amendments": "amendments.md"})
        nav += [{part.replace("-", " ").title(): paths} for part, paths in sorted(parts.items())]
        plugin: dict[str, object] = {"enabled": not plain, "boards_dir": "boards",
                                     "regional_values": {"contacts.front_door.phone": "your local number"}}
        config = {
            "site_name": "Synthetic Procedures", "site_url": "https://synthetic.example.org/",
            "theme": {"name": "material", "font": False, "features": ["navigation.prune", "navigation.sections"]},
            "plugins": ["search", {"procedures": plugin}],
            "markdown_extensions": ["admonition", "attr_list", "md_in_html", {"toc": {"permalink": True}}],
            "nav": nav,
        }
        if plain:
            # The reference: the regional manual alone, so boards/ plays no part.
            plugin.pop("boards_dir")
        return yaml.safe_dump(config, sort_keys=False)

@dataclass
class _FastImport:
    """Commits written as a `git fast-import` stream, each with a mark its children name."""

    out: list[bytes]
    committer: str
    marks: int = 0

    def commit(self, ref: str, when: dt.datetime, message: str, changes: list[bytes], parent: int | None,
               merge: int | None = None) -> int:
        self.marks += 1
        payload = message.encode()
        self.out.extend([f"commit {ref}\nmark :{self.marks}\n".encode(),
                         f"committer {self.committer} {int(when.timestamp())} +0000\n".encode(),
                         f"data {len(payload)}\n".encode(), payload, b"\n"])
        if parent is not None:
            self.out.append(f"from :{parent}\n".encode())
        if merge is not None:
            self.out.append(f"merge :{merge}\n".encode())
        self.out.extend(changes)
        self.out.append(b"\n")
        return self.marks


def _modify(path: str, data: bytes) -> bytes:
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


@dataclass
class SyntheticProject:
    """A repository where the manual is one folder of a bigger project, as many real manuals are: code
    under `src/` changed in most commits, binary assets added and renamed in bulk, most changes made on
    branches and merged as a code host merges them, and a manual of `chapters` chapters under `docs/`
    changed in about one commit in five (sometimes renamed, deleted or added again)."""

    commits: int
    chapters: int = 100
    seed: int = 11

    def write(self, root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
        subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=self._stream(), check=True)
        subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
        return root

    def _stream(self) -> bytes:
        rng = random.Random(self.seed)
        out: list[bytes] = []
        manual = SyntheticManual(self.chapters, 0, 0, seed=self.seed)
        commit, modify = _FastImport(out, "Dev <dev@example.org>").commit, _modify

        def code(number: int) -> bytes:
            return "\n".join(f"def function_{number}_{line}():\n    return {rng.random()!r}"
                             for line in range(30)).encode()

        assets = [f"assets/images/picture-{index}.bin" for index in range(40)]
        chapters = {n: manual.path_of(n) for n in range(self.chapters)}
        start = [modify(f"src/module_{index}.py", code(index)) for index in range(300)]
        start += [modify(path, rng.randbytes(8192)) for path in assets]
        start += [modify(path, manual.chapter_text(n, 0, rng).encode()) for n, path in chapters.items()]
        main = commit("refs/heads/main", START, "Start the project and its manual", start, None)
        when, number = START, 1
        while number < self.commits:
            when += dt.timedelta(hours=2)
            changes: list[bytes] = []
            kind = rng.random()
            if number % 40 == 0:  # a bulk move of binary assets, each also changed
                moved = [f"assets/export-{number}/picture-{index}.bin" for index in range(len(assets))]
                for old, new in zip(assets, moved, strict=True):
                    changes += [f"D {old}\n".encode(), modify(new, rng.randbytes(8192))]
                assets = moved
                message = f"Re-export the pictures ({number})"
            elif kind < 0.2:
                chapter = rng.randrange(self.chapters)
                if chapter % 17 == 3 and rng.random() < 0.3:  # renamed with a small edit
                    new = chapters[chapter].replace(".md", f"-{number}.md")
                    changes += [f"D {chapters[chapter]}\n".encode(),
                                modify(new, manual.chapter_text(chapter, number, rng).encode())]
                    chapters[chapter] = new
                elif chapter % 23 == 5 and rng.random() < 0.3:  # deleted, to come back later
                    changes.append(f"D {chapters.pop(chapter)}\n".encode() if chapter in chapters else b"")
                else:
                    path = chapters.setdefault(chapter, manual.path_of(chapter))
                    changes.append(modify(path, manual.chapter_text(chapter, number, rng).encode()))
                message = f"Revise chapter {chapter}\n\nAmendment: Revision {number}\n"
            else:
                changes += [modify(f"src/module_{rng.randrange(300)}.py", code(number))
                            for _ in range(rng.randint(2, 6))]
                message = f"Fix bug {number}"
            if number % 3 == 0 and number + 1 < self.commits:
                side = commit(f"refs/heads/topic-{number}", when, message, changes, main)
                main = commit("refs/heads/main", when + dt.timedelta(minutes=30),
                              f"Merge pull request #{number} from someone/topic-{number}\n\n{message.splitlines()[0]}",
                              [], main, merge=side)
                number += 2
            else:
                main = commit("refs/heads/main", when, message, changes, main)
                number += 1
        return b"".join(out) + b"done\n"
