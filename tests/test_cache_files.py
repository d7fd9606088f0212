"""What builds keep for each other under `.cache/procedures/`: written whole, read back or not at all."""

from __future__ import annotations

from pathlib import Path

from mkdocs_procedures.core.cache_files import keep_json, read_kept_json


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
