"""The published branch's history, read in two walks: which commit changed which file, and when it landed.

The published branch is the chain of first parents from the tip: a change made on a side branch is
dated when its merge landed on that chain, and the merge carries the `Amendment:` trailers of the
commits it brought in. One cheap walk reads every commit's parents, date and message, and nothing of
its files; a second walks the first-parent chain only, limited to the manual's folders, with rename
detection and each merge diffed against its first parent. A repository that holds more than the
manual (code, assets, their churn) costs the second walk nothing. File contents are read later, only
for the blobs a view needs.

What a read found can be kept in a file (`kept`): a commit never changes, so the same tip and folders
give the same history, and the next build reads the file instead of walking the branch again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import git

from .cache_files import keep_json, read_kept_json

_RECORD = b"\x1e"
_FIELD = b"\x1f"
_TRAILER_SEPARATOR = "\x1d"
_FORMAT = (
    "%x1e%H%x1f%P%x1f%cI%x1f%s%x1f"
    "%(trailers:key=Amendment,valueonly,unfold,separator=%x1d)%x1f%b"
)
_CHANGES_FORMAT = "%x1e%H%x1f"
# A merge made on a code host says where it came from; the pull or merge request's title is in its body.
_HOST_MERGE = re.compile(r"^(?:Merge pull request #\d+ from \S+|Merge branch '[^']+' into '[^']+')$")
EMPTY_BLOB = "0" * 40
_SUBJECT_TRAILER = re.compile(r"^Amendment:\s*(.+)$", re.I)
EDITORIAL = "none"
NO_DETAILS = "(no details given)"
# Characters that reorder or hide text (bidirectional overrides and isolates, marks) and other controls:
# in a commit message they could make the log say something else than what was written.
_HIDDEN_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f]")
# The last history read, by (repository, tip commit, folders): `mkdocs serve` rebuilds on every edit,
# but the history only changes with a new commit.
_READ: dict[tuple[str, str, tuple[str, ...]], tuple[Commit, ...]] = {}


def visible_controls(text: str) -> str:
    """`text` with each control character written out as `<U+202E>`, so that it is seen, not obeyed."""
    return _HIDDEN_CONTROLS.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)


class HistoryError(Exception):
    """History that cannot be read as the configuration asks."""


@dataclass(frozen=True)
class FileChange:
    """One file a commit added (A), modified (M), deleted (D) or renamed (R), with blob ids."""

    status: str
    path: str
    """The path after the change (for a deletion, the path that was deleted)."""
    old_path: str | None
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    landed_at: dt.datetime
    """When the commit (or, for a side branch, its merge) reached the published branch."""
    subject: str
    trailers: tuple[str, ...]
    """The commit's `Amendment:` trailer values, and for a merge those of the commits it merged."""
    changes: tuple[FileChange, ...] = ()
    merged_subjects: tuple[str, ...] = ()
    """For a merge, the subjects of the commits it brought in, oldest first."""
    body_title: str = ""
    """The first line of the message's body: a pull or merge request's title, in a code host's merge."""

    @property
    def amendment_values(self) -> tuple[str, ...]:
        """The `Amendment:` values: trailers, or a subject line written as `Amendment: ...` itself."""
        if self.trailers:
            return self.trailers
        match = _SUBJECT_TRAILER.match(self.subject)
        return (match.group(1),) if match else ()

    @property
    def editorial(self) -> bool:
        """An editorial change (typo, formatting): every value says `Amendment: none`."""
        values = self.amendment_values
        return bool(values) and all(value.strip().lower() == EDITORIAL for value in values)

    @property
    def details(self) -> str:
        """What the amendment log says: the `Amendment:` values if any, else the subject line."""
        values = [value.strip() for value in self.amendment_values if value.strip().lower() != EDITORIAL]
        details = "; ".join(dict.fromkeys(values)) if values else self._merge_title() or self.subject.strip()
        return visible_controls(details) or NO_DETAILS

    def _merge_title(self) -> str:
        """What a merge without trailers brought: the request's title on a code host, else the subjects of
        the commits it merged."""
        if len(self.parents) < 2:
            return ""
        if _HOST_MERGE.match(self.subject.strip()) and self.body_title:
            return self.body_title
        return "; ".join(dict.fromkeys(subject.strip() for subject in self.merged_subjects if subject.strip()))


@dataclass(frozen=True)
class History:
    commits: tuple[Commit, ...]
    """The published branch's commits, newest first."""
    shallow: bool = False
    prefix: str = ""
    """Where the project sits inside the repository (`""` at its root, else `"manual/"`)."""
    repository: git.Repo | None = field(default=None, compare=False, repr=False)

    def read_blob(self, blob: str | None) -> str:
        """A file's text by blob id; empty for a file that did not exist. Undecodable bytes are replaced."""
        if not blob or blob == EMPTY_BLOB or self.repository is None:
            return ""
        data: bytes = self.repository.odb.stream(bytes.fromhex(blob)).read()
        return data.decode("utf-8", errors="replace")


    def read_at(self, commit: str, path: str) -> str | None:
        """A file's text as it was at `commit` (`path` from the project's folder); None where it was not."""
        if self.repository is None:
            return None
        try:
            blob = self.repository.commit(commit).tree / (self.prefix + path)
            data: bytes = blob.data_stream.read()
        except (KeyError, ValueError, git.BadName):
            return None
        return data.decode("utf-8", errors="replace")


def history_moves(project_root: Path) -> list[Path]:
    """The files git writes when the history moves (a commit, a checkout, a reset, a pull): `HEAD` and the
    branches. None when `project_root` is not in a repository."""
    try:
        repository = open_repository(project_root)
    except HistoryError:
        return []
    places = [Path(repository.git_dir) / "HEAD", Path(repository.common_dir) / "refs" / "heads",
              Path(repository.common_dir) / "packed-refs"]
    return [place for place in places if place.exists()]


def open_repository(project_root: Path) -> git.Repo:
    try:
        return git.Repo(project_root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
        raise HistoryError(
            f"{project_root} is not inside a git repository, so the amendments log cannot be built; "
            "run the build from a clone of the manual's repository, or set `history: {enabled: false}` "
            "under the procedures plugin in mkdocs.yml to publish without it"
        ) from error


def forget_read_histories() -> None:
    """Drop the history kept from the last read: a benchmark times the read itself, and MkDocs' process
    lets go of the commits (megabytes in a long history) once the helper has the views to make."""
    _READ.clear()


def read_history(project_root: Path, roots: Sequence[str], ref: str = "HEAD",
                 allow_shallow: bool = False, kept: Path | None = None) -> History:
    """The published branch's commits that touched `roots` (folders relative to `project_root`), from
    the file `kept` when it holds them for the same tip (and written there when it did not)."""
    repository = open_repository(project_root)
    top = Path(repository.working_tree_dir or project_root).resolve()
    prefix = Path(os.path.relpath(project_root.resolve(), top)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    shallow = repository.git.rev_parse("--is-shallow-repository").strip() == "true"
    if shallow and not allow_shallow:
        raise HistoryError(
            "this is a shallow clone, so the amendments log would miss older amendments; fetch the full "
            "history with `git fetch --unshallow` (in CI: a full-depth checkout, e.g. `fetch-depth: 0`), "
            "or set `allow_shallow: true` under the procedures plugin's `history` to publish a log marked "
            "as incomplete"
        )
    try:
        tip = repository.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except git.GitCommandError as error:
        if not repository.head.is_valid():
            raise HistoryError(
                "the repository has no commits yet, so there is no history to build the amendments log from; "
                "commit the manual first, or set `history: {enabled: false}` under the procedures plugin"
            ) from error
        raise HistoryError(
            f"`history: {{ref: {ref}}}` names no commit of this repository; expected the published branch, "
            "a tag or a commit (the default is `HEAD`)"
        ) from error
    content_roots = tuple(prefix + root.strip("/") + "/" for root in roots)
    cache_key = (str(top), tip, content_roots)
    if cache_key not in _READ and kept is not None and (found := _kept_commits(kept, cache_key)) is not None:
        _READ.clear()
        _READ[cache_key] = found
    if cache_key not in _READ:
        commits = parse_log(repository.git.log(tip, f"--format={_FORMAT}", stdout_as_string=False))
        raw = repository.git.log(tip, "--first-parent", "-M", "--raw", "-z", "--abbrev=40",
                                 "--diff-merges=first-parent", f"--format={_CHANGES_FORMAT}", "--",
                                 *content_roots, stdout_as_string=False)
        for sha, changes in parse_changes(raw).items():
            commits[sha].changes = changes
        _READ.clear()  # keep only the newest: a rebuild after a commit reads the branch again
        _READ[cache_key] = tuple(mainline(commits, tip, content_roots, prefix))
        if kept is not None:
            _keep_commits(kept, cache_key, _READ[cache_key])
    return History(_READ[cache_key], shallow, prefix, repository)


_KEPT_FORMAT = 1


def _kept_commits(kept: Path, key: tuple[str, str, tuple[str, ...]]) -> tuple[Commit, ...] | None:
    """The commits kept in `kept` for `key`, or None when it holds another tip's (or is unreadable)."""
    found = read_kept_json(kept)
    if found.get("format") != _KEPT_FORMAT or found.get("key") != [key[0], key[1], list(key[2])]:
        return None
    try:
        return tuple(Commit(sha, tuple(parents), dt.datetime.fromisoformat(landed_at), subject, tuple(trailers),
                            tuple(FileChange(*change) for change in changes), tuple(merged_subjects), body_title)
                     for sha, parents, landed_at, subject, trailers, changes, merged_subjects, body_title
                     in found["commits"])
    except (ValueError, TypeError, KeyError, AttributeError):  # a file that is not one this code wrote
        return None


def _keep_commits(kept: Path, key: tuple[str, str, tuple[str, ...]], commits: Sequence[Commit]) -> None:
    record = {"format": _KEPT_FORMAT, "key": [key[0], key[1], list(key[2])],
              "commits": [[commit.sha, commit.parents, commit.landed_at.isoformat(), commit.subject,
                           commit.trailers, [[change.status, change.path, change.old_path, change.old_blob,
                                              change.new_blob] for change in commit.changes],
                           commit.merged_subjects, commit.body_title] for commit in commits]}
    with contextlib.suppress(OSError):  # the next build reads the branch again
        keep_json(kept, record)


@dataclass
class _Parsed:
    sha: str
    parents: tuple[str, ...]
    committed_at: dt.datetime
    subject: str
    trailers: tuple[str, ...]
    body_title: str = ""
    changes: list[FileChange] = field(default_factory=list)


def parse_log(raw: bytes) -> dict[str, _Parsed]:
    """Parse `git log` output in our format (no diffs); messages that are not UTF-8 are read leniently."""
    commits: dict[str, _Parsed] = {}
    for record in raw.split(_RECORD)[1:]:
        sha, parents, date, subject, trailers, body = record.split(_FIELD, 5)
        text = [part.decode("utf-8", errors="replace") for part in (sha, parents, date, subject, trailers)]
        first_line = body.lstrip(b"\n").split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
        commits[text[0]] = _Parsed(
            sha=text[0],
            parents=tuple(text[1].split()),
            committed_at=dt.datetime.fromisoformat(text[2]),
            subject=text[3],
            trailers=tuple(value for value in text[4].split(_TRAILER_SEPARATOR) if value.strip()),
            body_title=first_line,
        )
    return commits


def parse_changes(raw: bytes) -> dict[str, list[FileChange]]:
    """Parse `git log --raw -z --format=%x1e%H%x1f` output: each commit's changed files."""
    changes: dict[str, list[FileChange]] = {}
    for record in raw.split(_RECORD)[1:]:
        sha, diff = record.split(_FIELD, 1)
        changes[sha.decode("ascii").strip()] = list(_parse_raw_diff(diff))
    return changes


def _parse_raw_diff(diff: bytes) -> Iterable[FileChange]:
    tokens = [token.decode("utf-8", errors="replace") for token in diff.strip(b"\0\n").split(b"\0")]
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if not token.startswith(":"):
            continue
        _, _, old_blob, new_blob, status = token[1:].split(" ")
        kind = status[0]
        if kind in "RC":
            old_path, path = tokens[index], tokens[index + 1]
            index += 2
        else:
            old_path, path = None, tokens[index]
            index += 1
        yield FileChange(kind, path, old_path, old_blob, new_blob)


def mainline(commits: dict[str, _Parsed], tip: str, roots: tuple[str, ...], prefix: str = "") -> list[Commit]:
    """The first-parent chain from `tip`, newest first, keeping commits that changed files under `roots`.

    A merge gathers the trailers of the side-branch commits it brought in; paths lose `prefix`.
    """
    chain: list[_Parsed] = []
    sha: str | None = tip
    while sha is not None and sha in commits:
        chain.append(commits[sha])
        sha = commits[sha].parents[0] if commits[sha].parents else None
    seen: set[str] = set()
    result: list[Commit] = []
    for parsed in reversed(chain):  # oldest first, so `seen` holds everything already published
        trailers = list(parsed.trailers)
        merged_commits = _merged_commits(parsed, commits, seen)
        for merged in merged_commits:
            trailers.extend(merged.trailers)
        seen.add(parsed.sha)
        changes = tuple(
            FileChange(change.status, change.path.removeprefix(prefix),
                       change.old_path.removeprefix(prefix) if change.old_path else None,
                       change.old_blob, change.new_blob)
            for change in parsed.changes
            if change.path.startswith(roots) or (change.old_path or "").startswith(roots)
        )
        if changes:
            subjects = tuple(merged.subject for merged in sorted(merged_commits, key=lambda c: c.committed_at))
            result.append(Commit(parsed.sha, parsed.parents, parsed.committed_at, parsed.subject,
                                 tuple(trailers), changes, subjects, parsed.body_title))
    result.reverse()
    return result


def _merged_commits(merge: _Parsed, commits: dict[str, _Parsed], seen: set[str]) -> list[_Parsed]:
    """The commits a merge brings onto the published branch: reachable from its other parents only."""
    found: list[_Parsed] = []
    stack = list(merge.parents[1:])
    while stack:
        sha = stack.pop()
        if sha in seen or sha not in commits:
            continue
        seen.add(sha)
        found.append(commits[sha])
        stack.extend(commits[sha].parents)
    return found
