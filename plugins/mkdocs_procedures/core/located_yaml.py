"""YAML that remembers where each value was written, so problems can name the line.

Only plain YAML is read: an alias (`*name`, a reference to an anchored value) is refused, since a few
lines of them can stand for billions of values and stop the build; a key written twice in a mapping is
refused rather than letting the last one silently win.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class LocatedYamlError(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class Located:
    """Plain values (dicts, lists, scalars) and the line of each key, by dotted path (`contacts.mash`)."""

    values: Any
    lines: dict[str, int]

    def line_of(self, path: str, default: int | None = None) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return default


# libyaml's parser when PyYAML has it (the wheels do): the same nodes and marks, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_located(source: str, first_line: int = 1) -> Located:
    """Parse `source` with the safe loader; `first_line` is the file line the source starts on.

    A value YAML recognises but cannot build (the date 2026-02-30) is kept as its text, so the
    caller's own check can say what was expected instead of failing inside the YAML library.
    """
    try:
        node = yaml.compose(source, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        raise LocatedYamlError(line, f"not valid YAML: {error}") from error
    lines: dict[str, int] = {}
    if node is None:
        return Located(None, lines)
    constructor = yaml.SafeLoader("")
    return Located(_build(node, "", lines, first_line, constructor, set()), lines)


def _build(node: yaml.Node, path: str, lines: dict[str, int], offset: int, constructor: Any, seen: set[int]) -> Any:
    # The composer gives an alias the very node it refers to: a node met twice was reached by an alias.
    if id(node) in seen:
        line = next((lines[part] for part in _enclosing(path) if part in lines), node.start_mark.line + offset)
        raise LocatedYamlError(line, f"`{path or 'the document'}` repeats the value anchored on line "
                                     f"{node.start_mark.line + offset} through an alias (`*name`); aliases are not "
                                     "allowed: write the value out")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + offset
            if key in mapping:
                raise LocatedYamlError(line, f"`{child}` is written twice (first on line {lines[child]}); "
                                       "expected each key once")
            if key == "<<":
                raise LocatedYamlError(line, "merge keys (`<<:`) are not allowed: write the values out")
            lines[child] = line
            mapping[key] = _build(value_node, child, lines, offset, constructor, seen)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item_node in enumerate(node.value):
            child = f"{path}.{index}" if path else str(index)
            items.append(_build(item_node, child, lines, offset, constructor, seen))
            lines[child] = item_node.start_mark.line + offset
        return items
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):
        return node.value


def _enclosing(path: str) -> list[str]:
    """`a.b.c`, `a.b`, `a`: a path and the paths that hold it."""
    parts = path.split(".") if path else []
    return [".".join(parts[:count]) for count in range(len(parts), 0, -1)]
