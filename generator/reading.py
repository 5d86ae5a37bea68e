"""Reading: find article files, decode them, split front matter, normalise, drop boilerplate.

Nothing here writes anything. Problems are collected as Diagnostics: errors make the corpus
unusable (raised together by the caller), warnings are kept in the model and reported.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import BriefingError, Diagnostic, did_you_mean
from .model import ArticleMeta
from .slugs import slugify
from .yamlio import LineDict, load_yaml, read_data_file, type_name

ARTICLE_SUFFIXES = (".md", ".txt")
META_KEYS = ("title", "source", "url", "date", "language")
MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # documented limit: larger files are refused
MAX_LINE_CHARS = 100_000  # documented limit: longer lines are refused
_OPENING = re.compile(r"\A---[ \t]*(?:\n|\Z)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_STRAIGHT_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class SourceDoc:
    """One article as read: metadata and the analysable lines, numbered as in the file."""

    path: Path
    rel: str
    id: str
    meta: ArticleMeta
    lines: tuple[tuple[int, str], ...]  # (1-based line, normalised text), boilerplate removed
    boilerplate: tuple[tuple[int, str], ...]
    digest: str


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    description: str


def discover(content_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every article file under the folder, sorted; links leading outside it are refused."""
    root = content_dir.resolve()
    found, problems = [], []
    for path in sorted(content_dir.rglob("*")):
        if path.suffix.lower() not in ARTICLE_SUFFIXES or _hidden(path, content_dir):
            continue
        rel = path.relative_to(content_dir).as_posix()
        if path.is_symlink() and not _inside(path.resolve(), root):
            problems.append(Diagnostic(rel, None, None, "symbolic link points outside the content folder; skipped", "warning"))
            continue
        if path.is_file():
            found.append(path)
    return found, problems


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def decode(data: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Text of a file, or None with a warning when it is empty or binary."""
    if not data.strip():
        return None, [Diagnostic(rel, None, None, "empty file; skipped", "warning")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), [Diagnostic(rel, None, None, "UTF-16 file read as UTF-16", "warning")]
        except UnicodeDecodeError:
            pass
    if b"\x00" in data or _looks_binary(data):
        return None, [Diagnostic(rel, None, None, "binary file (not text); skipped", "warning")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        return text, [Diagnostic(rel, line, None, "not valid UTF-8; read as cp1252", "warning")]


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def normalise(text: str) -> str:
    """NFC, Unix line ends, no control characters, no trailing spaces. Idempotent."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = "".join(c if c in "\n\t" or unicodedata.category(c) != "Cc" else " " for c in text)
    text = unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\ufeff", ""))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def split_front_matter(text: str, rel: str) -> tuple[LineDict | None, str, int, list[Diagnostic]]:
    """(metadata, body, number of lines before the body, problems)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if _OPENING.match(text):
            return None, text, 0, [Diagnostic(rel, 1, 1, "front matter opened with '---' is never closed by a '---' line")]
        return None, text, 0, []
    offset = match.group(0).count("\n")
    try:
        data = load_yaml(match.group(1) or "", rel, line_offset=1)
    except BriefingError as err:
        return None, text[match.end():], offset, list(err.diagnostics)
    if data is not None and not isinstance(data, dict):
        return None, text[match.end():], offset, [Diagnostic(rel, 2, 1, "front matter must be a mapping of keys to values")]
    return data or LineDict(line=2), text[match.end():], offset, []


def parse_meta(data: LineDict | None, rel: str) -> tuple[ArticleMeta, list[Diagnostic]]:
    if data is None:
        return ArticleMeta(), []
    problems, values = [], {}
    for key, value in data.items():
        line = data.line_of(key)
        if key not in META_KEYS:
            problems.append(Diagnostic(rel, line, None, f"unknown front matter key '{key}'{did_you_mean(str(key), META_KEYS)}"))
            continue
        checked, problem = _check_meta_value(key, value)
        if problem:
            problems.append(Diagnostic(rel, line, None, problem))
        else:
            values[key] = checked
    return ArticleMeta(**values), problems


def _check_meta_value(key: str, value) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if key == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, f"date must be YYYY-MM-DD, got {str(value)[:40]!r}"
    if isinstance(value, (list, dict)):
        return None, f"'{key}' must be a single line of text, got a {type_name(value)}"
    if not str(value).strip():
        return None, f"'{key}' must not be empty"
    text = " ".join(str(value).split())
    if key == "url" and not re.match(r"^https?://", text, re.I):
        return None, f"url must start with http:// or https://, got {text[:40]!r}"
    return text, None


def load_patterns(content_dir: Path) -> tuple[list[Pattern], list[Diagnostic]]:
    """Boilerplate patterns shipped with the package plus content/boilerplate.yaml."""
    shipped = resources.files("generator.data").joinpath("boilerplate.yaml").read_text("utf-8")
    patterns, problems = _patterns(shipped, "generator/data/boilerplate.yaml")
    extra = content_dir / "boilerplate.yaml"
    if extra.is_file():
        rel = extra.relative_to(content_dir).as_posix()
        text, warnings = read_data_file(extra, rel)
        more, more_problems = _patterns(text, rel)
        patterns += more
        problems += warnings + more_problems
    return patterns, problems


def _patterns(text: str, rel: str) -> tuple[list[Pattern], list[Diagnostic]]:
    try:
        data = load_yaml(text, rel)
    except BriefingError as err:
        return [], list(err.diagnostics)
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Diagnostic(rel, 1, None, "must be a list of {pattern, description} entries")]
    patterns, problems = [], []
    for i, entry in enumerate(data):
        line = data.line_of(i)
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            problems.append(Diagnostic(rel, line, None, "each entry needs a 'pattern' string"))
            continue
        unknown = set(entry) - {"pattern", "description"}
        for key in sorted(unknown, key=str):
            problems.append(Diagnostic(rel, entry.line_of(key), None,
                                       f"unknown key '{key}'{did_you_mean(str(key), ['pattern', 'description'])}"))
        try:
            regex = re.compile(entry["pattern"], re.I)
        except re.error as exc:
            problems.append(Diagnostic(rel, line, None, f"invalid regular expression: {exc}"))
            continue
        patterns.append(Pattern(regex, str(entry.get("description", ""))))
    return patterns, problems


def is_boilerplate(line: str, patterns: list[Pattern]) -> bool:
    """True when a pattern matches the whole line; curly and straight quotes match alike."""
    stripped = line.strip().translate(_STRAIGHT_QUOTES)
    return bool(stripped) and any(p.regex.fullmatch(stripped) for p in patterns)


def read_source(path: Path, content_dir: Path, patterns: list[Pattern]) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Read one article file; None (with diagnostics) when it cannot be used."""
    rel = path.relative_to(content_dir).as_posix()
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        return None, [Diagnostic(rel, None, None, f"file is {size:,} bytes, over the limit of {MAX_ARTICLE_BYTES:,}; skipped")]
    data = path.read_bytes()
    text, problems = decode(data, rel)
    if text is None:
        return None, problems
    text = normalise(text)
    meta_data, body, offset, fm_problems = split_front_matter(text, rel) if path.suffix.lower() == ".md" else (None, text, 0, [])
    meta, meta_problems = parse_meta(meta_data, rel)
    problems += fm_problems + meta_problems
    article_id = slugify(path.stem)
    if not article_id:
        problems.append(Diagnostic(rel, None, None, f"file name {path.name!r} gives an empty id; rename the file"))
    lines, boiler, long_lines = _split_lines(body, offset, patterns)
    problems += [Diagnostic(rel, n, None, f"line is longer than {MAX_LINE_CHARS:,} characters") for n in long_lines]
    if any(p.severity == "error" for p in problems):
        return None, problems
    digest = hashlib.sha256(data).hexdigest()
    return SourceDoc(path, rel, article_id, meta, lines, boiler, digest), problems


def _split_lines(body: str, offset: int, patterns: list[Pattern]):
    lines, boiler, too_long = [], [], []
    for i, line in enumerate(body.split("\n"), start=offset + 1):
        if len(line) > MAX_LINE_CHARS:
            too_long.append(i)
        elif is_boilerplate(line, patterns):
            boiler.append((i, line.strip()))
        else:
            lines.append((i, line))
    while lines and not lines[-1][1].strip():
        lines.pop()
    return tuple(lines), tuple(boiler), too_long
