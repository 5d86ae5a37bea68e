"""Reading: find article files, decode them, split front matter, normalise, drop boilerplate.

Nothing here writes anything. Problems are collected as Diagnostics: errors make the corpus
unusable (raised together by the caller), warnings are kept in the model and reported.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import BriefingError, Diagnostic, did_you_mean
from .model import ArticleMeta
from .slugs import slugify
from .yamlio import LineDict, load_yaml, outside, read_data_file, read_limited, type_name

ARTICLE_SUFFIXES = (".md", ".txt")
RESERVED_IDS = frozenset({"index"})  # articles/index.md, regions/index.md, actors/index.md are the section pages
META_KEYS = ("title", "source", "url", "date", "language")
MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # documented limit (20 MiB): larger files are refused
MAX_LINE_CHARS = 100_000  # documented limit: longer lines are refused
BINARY_CONTROL_SHARE = 0.05  # more control bytes than this (5 %) and a file is binary, not text
# Bytes that are no text: C0 controls but tab, line feed, form feed, carriage return; and DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_URL_UNSAFE = re.compile(r'[\s"<>\\]')
_OPENING = re.compile(r"\A---[ \t]*(?:\n|\Z)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_STRAIGHT_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


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
    """Every article file under the folder, sorted; links leading outside it are refused.

    Linked folders are not followed (their files would be read twice, or from outside);
    one that leads outside the content folder is named in a warning."""
    found, problems = [], []
    for rel, entry in _entries(content_dir):
        link = entry.is_symlink()
        if link and entry.is_dir():
            if outside(content_dir / rel, content_dir) and rel != "overrides":  # overrides: refused where they are read
                problems.append(Diagnostic(rel, None, None, "symbolic link to a folder outside the content folder; "
                                           "skipped", "warning"))
            continue
        if os.path.splitext(entry.name)[1].lower() not in ARTICLE_SUFFIXES:
            continue
        path = content_dir / rel
        if link and outside(path, content_dir):
            problems.append(Diagnostic(rel, None, None, "symbolic link points outside the content folder; skipped", "warning"))
            continue
        if entry.is_file():
            found.append(path)
    return found, problems


def _entries(root: Path) -> list[tuple[str, os.DirEntry]]:
    """(path relative to ``root``, entry) of every file and folder under it but hidden ones and
    what they hold, in the order of their paths; links to folders are listed, not entered. One
    ``scandir`` a folder, whose entries know their type: ``Path.rglob`` and a ``Path`` method
    or two for each file took 0.5 s for 10,000 articles."""
    found = []
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [e for e in entries if not e.name.startswith(".")]
        except OSError:
            continue
        for entry in listed:
            found.append((prefix + entry.name, entry))
            if entry.is_dir(follow_symlinks=False):
                folders.append((prefix + entry.name + "/", entry.path))
    return sorted(found, key=lambda item: item[0].split("/"))  # as paths sort: part by part


def decode(data: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Text of a file, or None with a warning when it is empty or binary.

    UTF-8 (a byte-order mark is dropped); UTF-16 with a byte-order mark, or without one when
    every other byte is NUL, with a warning; bytes that are not UTF-8 are read as cp1252 (the
    rest stays UTF-8) with a warning naming the first bad line. A file with more than 5 % control
    bytes is binary; a few stray ones (a NUL byte) are shown as spaces, with a warning."""
    if not data.strip():
        return None, [Diagnostic(rel, None, None, "empty file; skipped", "warning")]
    wide = _utf16(data)
    if wide is not None:
        text, message = wide
        if not text.replace("\ufeff", "").strip():
            return None, [Diagnostic(rel, None, None, "empty file; skipped", "warning")]
        if not _binary(text.encode("utf-8")):
            return text, [Diagnostic(rel, None, None, message, "warning")]
    if _binary(data):
        return None, [Diagnostic(rel, None, None, "binary file (not text); skipped", "warning")]
    problems = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("utf-8-sig", errors="briefing-cp1252")
        problems.append(Diagnostic(rel, line, None, "not valid UTF-8; read as cp1252", "warning"))
    if not text.replace("\ufeff", "").strip():  # a byte-order mark alone
        return None, [Diagnostic(rel, None, None, "empty file; skipped", "warning")]
    stray = data.translate(None, _TEXT_BYTES)
    if stray:
        first = min(data.index(bytes([b])) for b in set(stray))
        line = data[:first].count(b"\n") + 1
        name = "NUL byte" if data[first] == 0 else f"control character U+{data[first]:04X}"
        more = f" ({len(stray)} in the file)" if len(stray) > 1 else ""
        problems.append(Diagnostic(rel, line, None, f"{name} shown as a space{more}", "warning"))
    return text, problems


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as cp1252 (a mostly-UTF-8 file keeps its UTF-8 text)."""
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("briefing-cp1252", _cp1252_fallback)


def _utf16(data: bytes) -> tuple[str, str] | None:
    """(text, warning) when the file is UTF-16, with or without a byte-order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16 file read as UTF-16"
        except UnicodeDecodeError:
            return None
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.9 * half and other == 0:
            try:
                return data.decode(codec), f"UTF-16 file without byte-order mark read as {codec.upper()}"
            except UnicodeDecodeError:
                return None
    return None


def _binary(data: bytes) -> bool:
    """More than 5 % control bytes (NUL included): a binary file, not text."""
    return len(data.translate(None, _TEXT_BYTES)) > len(data) * BINARY_CONTROL_SHARE


def normalise(text: str) -> str:
    """NFC, Unix line ends, no control characters or U+FFFE/U+FFFF, no trailing spaces. Idempotent."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL_CHARS.sub(" ", text)  # every character of category Cc but tab and line feed
    text = text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")  # non-characters YAML refuses
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
        checked, problem = _check_meta_value(key, value, data.as_written(key))
        if problem:
            problems.append(Diagnostic(rel, line, None, problem))
        else:
            values[key] = checked
    return ArticleMeta(**values), problems


def _check_meta_value(key: str, value, written=None) -> tuple[str | None, str | None]:
    """The value as text, or a problem. ``written`` is the scalar as written in the file, so that
    ``title: No`` is the title "No", not YAML's boolean false."""
    if value is None:
        return None, None
    if key == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(str(written)).isoformat(), None
        except ValueError:
            return None, f"date must be YYYY-MM-DD, got {str(written)[:40]!r}"
    if isinstance(value, (list, dict)):
        return None, f"'{key}' must be a single line of text, got a {type_name(value)}"
    if not isinstance(value, (str, bool, int, float, dt.date)):
        return None, f"'{key}' must be a single line of text, got a {type_name(value)}"
    text = " ".join(str(written if isinstance(written, str) else value).split())
    if not text:
        return None, f"'{key}' must not be empty"
    if key == "url":
        if not re.match(r"^https?://", text, re.I):
            return None, f"url must start with http:// or https://, got {text[:40]!r}"
        if _URL_UNSAFE.search(str(written)):
            return None, (f"url must be one address without spaces, quotes, angle brackets or backslashes "
                          f"(percent-encode them), got {text[:60]!r}")
    return text, None


def load_patterns(content_dir: Path) -> tuple[list[Pattern], list[Diagnostic]]:
    """Boilerplate patterns shipped with the package plus content/boilerplate.yaml."""
    shipped = resources.files("generator.data").joinpath("boilerplate.yaml").read_text("utf-8")
    patterns, problems = _patterns(shipped, "generator/data/boilerplate.yaml")
    extra = content_dir / "boilerplate.yaml"
    if extra.is_file():
        rel = extra.relative_to(content_dir).as_posix()
        text, warnings = read_data_file(extra, rel, content_dir)
        more, more_problems = _patterns(text, rel) if text is not None else ([], [])
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


def replace_chars(text: str, table: dict[str, str]) -> str:
    """``text.translate(str.maketrans(table))``, done with ``str.replace`` per character present,
    which is faster on text that holds few of them (most text holds none)."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


def is_boilerplate(line: str, patterns: list[Pattern]) -> bool:
    """True when a pattern matches the whole line; curly and straight quotes match alike."""
    stripped = replace_chars(line.strip(), _STRAIGHT_QUOTES)
    if stripped:
        for pattern in patterns:
            if pattern.regex.fullmatch(stripped):
                return True
    return False


def read_source(path: Path, content_dir: Path, patterns: list[Pattern]) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Read one article file; None (with diagnostics) when it cannot be used."""
    rel = path.relative_to(content_dir).as_posix()
    data, problems = read_limited(path, rel, MAX_ARTICLE_BYTES, "an article")
    if data is None:
        return None, problems
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
    elif article_id in RESERVED_IDS:
        problems.append(Diagnostic(rel, None, None, f"file name {path.name!r} gives the id '{article_id}', which "
                                                    "the Articles index page has; rename the file"))
    lines, boiler, _ = _split_lines(body, offset, patterns)
    long_lines = [(n, len(line)) for n, line in enumerate(text.split("\n"), start=1) if len(line) > MAX_LINE_CHARS]
    if long_lines:  # front matter included
        (first, length), more = long_lines[0], len(long_lines) - 1
        others = f" ({more} more line{'s' if more > 1 else ''} like it)" if more else ""
        problems.append(Diagnostic(rel, first, None, f"line is {length:,} characters long, over the limit of "
                                                     f"{MAX_LINE_CHARS:,} characters per line{others}"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    digest = hashlib.sha256(data).hexdigest()
    return SourceDoc(path, rel, article_id, meta, lines, boiler, digest), problems


def _split_lines(body: str, offset: int, patterns: list[Pattern]):
    lines, boiler, too_long = [], [], []
    for i, line in enumerate(body.split("\n"), start=offset + 1):
        if len(line) > MAX_LINE_CHARS:
            too_long.append((i, len(line)))
        elif is_boilerplate(line, patterns):
            boiler.append((i, line.strip()))
        else:
            lines.append((i, line))
    while lines and not lines[-1][1].strip():
        lines.pop()
    return tuple(lines), tuple(boiler), too_long
