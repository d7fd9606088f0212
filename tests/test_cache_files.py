"""What builds keep for each other under `.cache/procedures/`: written whole, read back or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_procedures.core.cache_files import (
    KeptTexts,
    keep_json,
    read_kept_json,
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


def test_a_write_that_fails_leaves_the_kept_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "kept.jsonl"
    kept = KeptTexts(path, "salt")
    kept.keep("a", "one")
    kept.save()
    again = KeptTexts(path, "salt")
    again.keep("a", "two")
    again.keep("b", object())  # type: ignore[arg-type]  # JSON cannot write it, halfway through the file
    with pytest.raises(TypeError):
        again.save()
    assert KeptTexts(path, "salt").get("a") == "one"
    assert [path.name for path in tmp_path.iterdir()] == ["kept.jsonl"]  # no file of the writer's left


def test_kept_texts_are_read_one_at_a_time_and_only_those_used_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "changes" / "texts.jsonl"
    first = KeptTexts(path, "salt-1")
    assert first.get("a") is None  # nothing kept yet
    texts = {"a": "<p>one</p>", "b": "two\nlines \u2028 and \u00e9", "c": "three"}
    for name, text in texts.items():
        first.keep(name, text)
    first.save()
    second = KeptTexts(path, "salt-1")
    assert [second.get(name) for name in ("c", "a", "missing")] == ["three", "<p>one</p>", None]
    assert second.used.keys() == {"c", "a"}
    assert all(isinstance(start, int) for start in second.used.values())  # where, not the texts
    second.keep("d", "four")
    second.save()  # "b" was not asked for: it goes; "a" and "c" are copied, "d" added
    third = KeptTexts(path, "salt-1")
    assert {name: third.get(name) for name in "abcd"} == {"a": "<p>one</p>", "b": None, "c": "three", "d": "four"}
    assert KeptTexts(path, "salt-2").get("a") is None  # kept for other code, templates or settings


def test_kept_texts_are_not_written_again_when_the_same_are_used(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    kept = KeptTexts(path, "salt")
    kept.keep("a", "one")
    kept.keep("b", "two")
    kept.save()
    before = path.stat()
    again = KeptTexts(path, "salt")
    assert again.get("b") == "two" and again.get("a") == "one"
    again.save()
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_kept_text_whose_line_does_not_read_back_is_none(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    lines = [b'{"salt": "s"}\n', b'["good", "text"]\n', b'["cut", "a line cut sh\n', b'["bytes", "\xff\xfe"]\n',
             b'["number", 3]\n', b'"not a pair"\n', b'["last", "no line break"]']
    path.write_bytes(b"".join(lines))
    kept = KeptTexts(path, "s")
    assert {name: kept.get(name) for name in ("good", "cut", "bytes", "number", "last")} == {
        "good": "text", "cut": None, "bytes": None, "number": None, "last": "no line break"}
    kept.save()  # only the two that read back are kept, each on a line of its own
    assert path.read_text(encoding="utf-8").splitlines() == ['{"salt": "s"}', '["good", "text"]',
                                                             '["last", "no line break"]']
    assert KeptTexts(tmp_path / "missing.jsonl", "s").get("good") is None
    (tmp_path / "folder.jsonl").mkdir()
    assert KeptTexts(tmp_path / "folder.jsonl", "s").get("good") is None
