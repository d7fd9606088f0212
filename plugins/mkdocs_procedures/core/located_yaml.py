"""YAML that remembers where each value was written, so problems can name the line."""

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
    return Located(_build(node, "", lines, first_line, constructor), lines)


def _build(node: yaml.Node, path: str, lines: dict[str, int], offset: int, constructor: Any) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            lines[child] = key_node.start_mark.line + offset
            mapping[key] = _build(value_node, child, lines, offset, constructor)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item_node in enumerate(node.value):
            child = f"{path}.{index}" if path else str(index)
            lines[child] = item_node.start_mark.line + offset
            items.append(_build(item_node, child, lines, offset, constructor))
        return items
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):
        return node.value
