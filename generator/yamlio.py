"""Safe YAML loading that keeps line numbers and refuses alias bombs.

`load_yaml` walks the composed node graph itself instead of calling the constructor, so every
mapping and list remembers the 1-based line of each key or item (for ``path:line:`` messages),
and the number of nodes visited, aliases and merge keys (``<<``) expanded included, is bounded
by ``MAX_YAML_NODES``; nesting (aliases included) is bounded by ``MAX_YAML_DEPTH``. A key
written twice in one mapping is an error (the first value would otherwise be lost silently).
Text values never carry control characters or the non-characters U+FFFE/U+FFFF (YAML escapes
such as ``"\\x02"`` could produce them): they become a space and U+FFFD.
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import yaml

from .errors import BriefingError, Diagnostic

MAX_YAML_NODES = 100_000  # documented limit: nodes after alias expansion, per YAML document
MAX_YAML_DEPTH = 64  # documented limit: nesting of lists and mappings, aliases included
MAX_DATA_FILE_BYTES = 20 * 1024 * 1024  # documented limit: entities, boilerplate and overrides files
_MERGE = "tag:yaml.org,2002:merge"
_COLLECTION_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("seq", "map", "omap", "pairs", "set"))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NONCHARACTER = re.compile("[\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text with control characters (but tab and newline) as spaces and U+FFFE/U+FFFF as U+FFFD."""
    return _NONCHARACTER.sub("\ufffd", _CONTROL.sub(" ", text))


class LineDict(dict):
    """A dict whose keys remember the line they were written on."""

    def __init__(self, *args, line: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines: dict = {}
        self.raw: dict = {}  # key -> the scalar as written, for values YAML typed (yes, 1.0, 2024-01-02)

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)

    def as_written(self, key):
        """The value as written when YAML gave it a type other than text, else the value."""
        return self.raw.get(key, self.get(key))


class LineList(list):
    def __init__(self, *args, line: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses deep nesting before Python's recursion limit does."""

    def __init__(self, stream, path: str, offset: int):
        super().__init__(stream)
        self.briefing_path, self.briefing_offset, self.briefing_depth = path, offset, 0

    def compose_node(self, parent, index):
        self.briefing_depth += 1
        try:
            if self.briefing_depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise BriefingError([_too_deep(self.briefing_path, mark.line + 1 + self.briefing_offset,
                                               mark.column + 1)])
            return super().compose_node(parent, index)
        finally:
            self.briefing_depth -= 1


def _too_deep(path: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(path, line, column, f"YAML nests deeper than {MAX_YAML_DEPTH} levels "
                                          "(aliases included); refused")


class _Walker:
    def __init__(self, path: str, line_offset: int):
        self.path = path
        self.offset = line_offset
        self.count = 0
        self.seen: set[int] = set()  # nodes walked once: walking one again is expanding an alias
        self.written: list[yaml.Node] = []  # the lists and mappings being walked where they are written
        self.constructor = yaml.constructor.SafeConstructor()

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def error(self, node: yaml.Node, message: str) -> BriefingError:
        return BriefingError([Diagnostic(self.path, self.line(node), node.start_mark.column + 1, message)])

    def walk(self, node: yaml.Node, depth: int = 0):
        first = id(node) not in self.seen
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_YAML_NODES:  # named where the expanding alias is written, not its anchor
            raise self.error(node if first else self.written[-1],
                             f"YAML expands to more than {MAX_YAML_NODES:,} nodes (alias bomb?); refused")
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            return self.scalar(node)
        if node.tag not in _COLLECTION_TAGS:  # "!!python/object/apply:…" and the like: never a plain list
            raise self.error(node, f"YAML tag '{node.tag}' is not supported here")
        if depth >= MAX_YAML_DEPTH:
            where = node if first else self.written[-1]
            raise BriefingError([_too_deep(self.path, self.line(where), where.start_mark.column + 1)])
        if first:
            self.written.append(node)
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, depth + 1)
            result = LineList(line=self.line(node))
            for item in node.value:
                result.append(self.walk(item, depth + 1))
                result.lines.append(self.line(item))
            return result
        finally:
            if first:
                self.written.pop()

    def scalar(self, node: yaml.Node):
        """A plain value; one that only looks typed ("2024-13-45") stays the text as written."""
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            value = node.value
        except yaml.constructor.ConstructorError:
            raise
        except Exception:  # noqa: BLE001 - "!!bool maybe", "!!timestamp soon": PyYAML's own errors
            raise self.error(node, f"value {node.value[:40]!r} does not fit its tag '{node.tag}'") from None
        return clean_text(value) if isinstance(value, str) else value

    def mapping(self, node: yaml.MappingNode, depth: int):
        result = LineDict(line=self.line(node))
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            key = self.walk(key_node, depth)
            if isinstance(key, (list, dict)):
                raise self.error(key_node, "a mapping key must be a plain value")
            if key in result:
                raise self.error(key_node, f"key '{key_node.value}' is written twice in this mapping "
                                           f"(first on line {result.lines[key]}); keep one")
            result[key] = self.walk(value_node, depth)
            result.lines[key] = self.line(key_node)
            if isinstance(value_node, yaml.ScalarNode) and not isinstance(result[key], str) \
                    and result[key] is not None:
                result.raw[key] = clean_text(value_node.value)
        for merge in merges:  # "<<: *base" or "<<: [*a, *b]": keys not written here come from them
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise self.error(source, "a merge key ('<<') must name a mapping or a list of mappings")
                merged = self.walk(source, depth - 1)  # merged keys sit at this mapping's level
                for key, value in merged.items():
                    if key not in result:
                        result[key] = value
                        result.lines[key] = merged.line_of(key)
                        if key in merged.raw:
                            result.raw[key] = merged.raw[key]
        return result


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse one YAML document; errors become a BriefingError with path:line:column."""
    loader = None
    try:
        loader = _Loader(text, path, line_offset)  # the reader refuses control characters right here
        node = loader.get_single_node()
        if node is None:
            return None
        return _Walker(path, line_offset).walk(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise BriefingError([Diagnostic(path, line, column, f"malformed YAML: {problem}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise BriefingError([Diagnostic(path, line, column, f"malformed YAML: character U+{ord(character):04X} "
                                                            "is not allowed in YAML")]) from None
    except yaml.YAMLError as exc:
        raise BriefingError([Diagnostic(path, None, None, f"malformed YAML: {' '.join(str(exc).split())}")]) from None
    finally:
        if loader is not None:
            loader.dispose()


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
    if isinstance(value, bytes):
        return "binary value"
    if value is None:
        return "nothing"
    return type(value).__name__


def outside(path: Path, content_dir: Path) -> bool:
    """True when ``path`` (a symbolic link, or inside one) leads out of the content folder."""
    root = content_dir.resolve()
    real = path.resolve()
    return real != root and root not in real.parents


def read_limited(path: Path, rel: str, limit: int, what: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or None with an error when it cannot be read or is over ``limit``
    (checked before reading, so an oversized file is refused without loading it)."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [Diagnostic(rel, None, None, f"file is {size:,} bytes, over the limit of "
                                                      f"{limit:,} bytes ({limit / 2**20:g} MiB) for {what}")]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Diagnostic(rel, None, None, f"cannot be read: {exc.strerror or exc}")]


def read_data_file(path: Path, rel: str, content_dir: Path | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Text of an editor's YAML file: UTF-8, UTF-16 with a byte-order mark (warning), or cp1252
    with a warning naming the first bad line. None with an error when the file cannot be used:
    a link leading out of the content folder, over the size limit, or binary."""
    if content_dir is not None and outside(path, content_dir):
        return None, [Diagnostic(rel, None, None, "symbolic link points outside the content folder; refused")]
    data, problems = read_limited(path, rel, MAX_DATA_FILE_BYTES, "a YAML file")
    if data is None:
        return None, problems
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), [Diagnostic(rel, None, None, "UTF-16 file read as UTF-16", "warning")]
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Diagnostic(rel, line, None, "NUL byte: this is not a text file (save it as UTF-8)")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), [
            Diagnostic(rel, line, None, "not valid UTF-8; read as cp1252", "warning")]


def load_shipped(name: str):
    """A data file shipped in ``generator/data`` (ours, so trusted and checked by tests), parsed
    with libyaml when PyYAML has it: the pure-Python parser takes half a second for them all."""
    text = resources.files("generator.data").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
