"""What builds keep for each other under `.cache/procedures/`: written whole, read back or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_procedures.core.cache_files import (
    keep_json,
    keep_json_lines,
    read_kept_json,
    read_kept_json_lines,
    text_pairs,
)


def test_a_kept_object_is_read_back_and_its_folder_made(tmp_path: Path) -> None:
    kept = tmp_path / "a" / "b" / "kept.json"
    keep_json(kept, {"key": [1, "two"]})
    assert read_kept_json(kept) == {"key": [1, "two"]}
    assert [path.name for path in kept.parent.iterdir()] == ["kept.json"]  # no file of the writer's left


def test_a_missing_broken_or_other_file_reads_as_nothing_kept(tmp_path: Path) -> None:
    assert read_kept_json(tmp_path / "missing.json") == {}
    (tmp_path / "cut.json").write_text('{"key": [1', encoding="utf-8")  # a write cut short
    assert read_kept_json(tmp_path / "cut.json") == {}
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    assert read_kept_json(tmp_path / "list.json") == {}
    (tmp_path / "bytes.json").write_bytes(b"\xff\xfe{}")
    assert read_kept_json(tmp_path / "bytes.json") == {}
    (tmp_path / "folder.json").mkdir()
    assert read_kept_json(tmp_path / "folder.json") == {}


def test_kept_lines_are_read_back_one_by_one(tmp_path: Path) -> None:
    kept = tmp_path / "a" / "kept.jsonl"
    keep_json_lines(kept, [{"salt": "x"}, ["key", "line one\nline two\r\n\u2028"], [1, None]])
    assert kept.read_text(encoding="utf-8").count("\n") == 3  # a value's own line breaks are escaped
    lines = read_kept_json_lines(kept)
    assert next(lines) == {"salt": "x"}
    assert list(lines) == [["key", "line one\nline two\r\n\u2028"], [1, None]]
    assert [path.name for path in kept.parent.iterdir()] == ["kept.jsonl"]


def test_kept_lines_end_at_the_first_that_is_not_json(tmp_path: Path) -> None:
    assert list(read_kept_json_lines(tmp_path / "missing.jsonl")) == []
    (tmp_path / "cut.jsonl").write_text('{"salt": "x"}\n["a", "b"]\n["c", "d', encoding="utf-8")
    assert list(read_kept_json_lines(tmp_path / "cut.jsonl")) == [{"salt": "x"}, ["a", "b"]]
    (tmp_path / "bytes.jsonl").write_bytes(b"\xff\xfe[1]\n")  # not UTF-8
    assert list(read_kept_json_lines(tmp_path / "bytes.jsonl")) == []
    (tmp_path / "folder.jsonl").mkdir()
    assert list(read_kept_json_lines(tmp_path / "folder.jsonl")) == []


def test_kept_texts_are_the_lines_that_are_a_name_and_a_text(tmp_path: Path) -> None:
    kept = tmp_path / "texts.jsonl"
    keep_json_lines(kept, [["a", "<p>one</p>"], ["b", 2], "c", ["d", "e", "f"], [3, "g"], ["h", "<p>two</p>"]])
    assert text_pairs(read_kept_json_lines(kept)) == {"a": "<p>one</p>", "h": "<p>two</p>"}


def test_a_write_that_fails_leaves_the_kept_file_as_it_was(tmp_path: Path) -> None:
    kept = tmp_path / "kept.jsonl"
    keep_json_lines(kept, [["a", "one"]])
    with pytest.raises(TypeError):
        keep_json_lines(kept, [["a", "two"], ["b", object()]])  # JSON cannot write the second
    assert text_pairs(read_kept_json_lines(kept)) == {"a": "one"}
    assert [path.name for path in tmp_path.iterdir()] == ["kept.jsonl"]
