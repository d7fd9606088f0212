"""Chapter front matter: read with line numbers, validated with messages for people."""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_procedures.core.chapters import (
    Status,
    default_id,
    duplicate_ids,
    read_chapter,
    split_front_matter,
)
from mkdocs_procedures.core.problems import Severity


def test_a_complete_chapter_is_read_with_every_field() -> None:
    text = (
        "---\ntitle: Making a Referral\nid: making-a-referral\nstatus: under-review\n"
        "owner: Regional Procedures Group\nlast_reviewed: 2026-05-18\nnext_review: 2027-05-18\n---\n\n## A\n"
    )
    chapter, problems = read_chapter("docs/responding/referrals.md", text)
    assert problems == []
    assert chapter is not None
    assert chapter.id == "making-a-referral"
    assert chapter.title == "Making a Referral"
    assert chapter.status is Status.UNDER_REVIEW and chapter.under_review
    assert chapter.owner == "Regional Procedures Group"
    assert chapter.last_reviewed == dt.date(2026, 5, 18)
    assert chapter.next_review == dt.date(2027, 5, 18)
    assert chapter.line_of("status") == 4


def test_defaults_id_from_the_file_stem_and_status_current() -> None:
    chapter, problems = read_chapter("docs/responding/early-help.md", "---\ntitle: Early Help\n---\nText\n")
    assert problems == []
    assert chapter is not None
    assert (chapter.id, chapter.status) == ("early-help", Status.CURRENT)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("a/early-help.md", "early-help"), ("index.md", "home"), ("part/index.md", "part")],
)
def test_default_id(path: str, expected: str) -> None:
    assert default_id(path) == expected


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("title: ''\n", "docs/c.md:2: field `title`: expected text"),
        ("title: [a, b]\n", "docs/c.md:2: field `title`: expected text, found a list"),
        ("title: T\nid: Not An Id\n", "docs/c.md:3: field `id`: expected lower-case letters, digits and "
         "hyphens (like `making-a-referral`), found `Not An Id`"),
        ("title: T\nstatus: under review\n", "docs/c.md:3: field `status`: expected `current` or "
         "`under-review`, found `under review`; did you mean `under-review`?"),
        ("title: T\nowner: 12\n", "docs/c.md:3: field `owner`: expected the name of a person or group, "
         "found `12` (int)"),
        ("title: T\nnext_review: 23/11/2026\n", "docs/c.md:3: field `next_review`: expected a date written "
         "YYYY-MM-DD (like 2026-11-23), found `23/11/2026`"),
        ("title: T\n\nlast_reviewed: 2026-02-30\n", "docs/c.md:4: field `last_reviewed`: expected a date "
         "written YYYY-MM-DD (like 2026-11-23), found `2026-02-30`"),
        ("title: [unclosed\n", "docs/c.md:3: front matter: not valid YAML"),
    ],
)
def test_errors_name_the_file_line_and_field_and_what_was_expected(front_matter: str, expected: str) -> None:
    chapter, problems = read_chapter("docs/c.md", f"---\n{front_matter}---\nBody\n")
    assert chapter is None
    assert [problem.severity for problem in problems] == [Severity.ERROR]
    assert str(problems[0]).startswith(expected)


def test_unknown_fields_are_warnings_that_suggest_the_nearest_field() -> None:
    chapter, problems = read_chapter("docs/c.md", "---\ntitle: T\nnext_reveiw: 2027-01-01\n---\n")
    assert chapter is not None
    assert [(str(problem), problem.severity) for problem in problems] == [
        ("docs/c.md:3: unknown field `next_reveiw` is ignored; did you mean `next_review`?", Severity.WARNING)
    ]


def test_theme_fields_are_accepted() -> None:
    _, problems = read_chapter("docs/c.md", "---\ntitle: T\nhide: [navigation]\ndescription: D\n---\n")
    assert problems == []


def test_duplicate_ids_name_both_files() -> None:
    first, _ = read_chapter("docs/a.md", "---\ntitle: A\nid: same\n---\n")
    second, _ = read_chapter("docs/b.md", "---\ntitle: B\nid: same\n---\n")
    assert first is not None and second is not None
    assert [str(problem) for problem in duplicate_ids([first, second])] == [
        "docs/b.md:3: field `id`: `same` is already the id of docs/a.md; expected an id no other chapter uses"
    ]


def test_body_line_counts_the_front_matter() -> None:
    front = split_front_matter("---\ntitle: T\n---\n# Body\n")
    assert (front.body, front.body_line) == ("# Body\n", 4)
    assert split_front_matter("No front matter\n").body_line == 1
