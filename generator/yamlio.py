"""Safe YAML loading that keeps line numbers and refuses alias bombs.

`load_yaml` walks the composed node graph itself instead of calling the constructor, so every
mapping and list remembers the 1-based line of each key or item (for ``path:line:`` messages),
and the number of nodes visited, aliases expanded included, is bounded by ``MAX_YAML_NODES``.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import BriefingError, Diagnostic

MAX_YAML_NODES = 100_000  # documented limit: nodes after alias expansion, per YAML document


class LineDict(dict):
    """A dict whose keys remember the line they were written on."""

    def __init__(self, *args, line: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    def __init__(self, *args, line: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Walker:
    def __init__(self, path: str, line_offset: int):
        self.path = path
        self.offset = line_offset
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def walk(self, node: yaml.Node):
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise BriefingError([Diagnostic(
                self.path, self.line(node), node.start_mark.column + 1,
                f"YAML expands to more than {MAX_YAML_NODES:,} nodes (alias bomb?); refused")])
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode):
            result = LineList(line=self.line(node))
            for item in node.value:
                result.append(self.walk(item))
                result.lines.append(self.line(item))
            return result
        return self.scalar(node)

    def scalar(self, node: yaml.Node):
        """A plain value; one that only looks typed ("2024-13-45") stays the text as written."""
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            return node.value

    def mapping(self, node: yaml.MappingNode):
        self.constructor.flatten_mapping(node)
        result = LineDict(line=self.line(node))
        for key_node, value_node in node.value:
            key = self.walk(key_node)
            if isinstance(key, (list, dict)):
                raise BriefingError([Diagnostic(self.path, self.line(key_node),
                                                key_node.start_mark.column + 1,
                                                "a mapping key must be a plain value")])
            result[key] = self.walk(value_node)
            result.lines[key] = self.line(key_node)
        return result


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse one YAML document; errors become a BriefingError with path:line:column."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise BriefingError([Diagnostic(path, line, column, f"malformed YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise BriefingError([Diagnostic(path, None, None, f"malformed YAML: {exc}")]) from None
    if node is None:
        return None
    try:
        return _Walker(path, line_offset).walk(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise BriefingError([Diagnostic(path, mark.line + 1 + line_offset if mark else None,
                                        mark.column + 1 if mark else None,
                                        f"malformed YAML: {exc.problem}")]) from None


def type_name(value) -> str:
    """A YAML-ish name for a value's type, for messages ("list", not "LineList")."""
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "nothing"
    return type(value).__name__


def read_data_file(path: Path, rel: str) -> tuple[str, list[Diagnostic]]:
    """Text of an editor's YAML file: UTF-8, or cp1252 with a warning naming the first bad line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), [
            Diagnostic(rel, line, None, "not valid UTF-8; read as cp1252", "warning")]
