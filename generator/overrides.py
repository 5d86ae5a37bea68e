"""Overrides: editors' YAML under ``content/overrides/`` that replaces generated summaries,
titles, and merges or splits matrix topics.

Parsing checks syntax, keys and types; ``validate`` checks every id against the built corpus.
An override is never modified or dropped: anything that would not take effect is an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefingError, Diagnostic, did_you_mean
from .matrices import label_key
from .model import Corpus
from .yamlio import load_yaml, outside, read_data_file, type_name

FILES = {
    "regions.yaml": ("summary",),
    "actors.yaml": ("summary",),
    "articles.yaml": ("summary", "title"),
    "matrices.yaml": ("summary", "merge_topics", "split_topics"),
    "home.yaml": ("summary",),
}


@dataclass(frozen=True)
class Override:
    path: str  # relative to the content folder
    line: int
    values: dict


@dataclass(frozen=True)
class Overrides:
    regions: dict[str, Override] = field(default_factory=dict)
    actors: dict[str, Override] = field(default_factory=dict)
    articles: dict[str, Override] = field(default_factory=dict)
    matrices: dict[str, Override] = field(default_factory=dict)
    home: Override | None = None

    def summary(self, section: str, key: str) -> str | None:
        entry = getattr(self, section).get(key)
        return entry.values.get("summary") if entry else None

    def merge_topics(self) -> dict[str, list[list[str]]]:
        return {k: v.values.get("merge_topics", []) for k, v in self.matrices.items()}

    def split_topics(self) -> dict[str, list[str]]:
        return {k: v.values.get("split_topics", []) for k, v in self.matrices.items()}


def load_overrides(content_dir: Path) -> tuple[Overrides, list[Diagnostic]]:
    folder = content_dir / "overrides"
    sections: dict = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return Overrides(), []
    if outside(folder, content_dir):
        return Overrides(), [Diagnostic("overrides", None, None, "symbolic link points outside the content folder; refused")]
    for path in sorted(folder.iterdir()):
        rel = path.relative_to(content_dir).as_posix()
        if path.name.startswith("."):
            continue
        if path.is_dir():
            if path.name in FILES:
                problems.append(Diagnostic(rel, None, None, "is a folder; overrides files are YAML files"))
            continue
        if path.name not in FILES:
            problems.append(Diagnostic(rel, None, None, f"unknown overrides file '{path.name}'{did_you_mean(path.name, FILES)}; "
                                       f"expected one of {', '.join(FILES)}"))
            continue
        entries, found = _parse_file(path, rel, content_dir)
        problems += found
        sections[path.stem] = entries
    home = sections.pop("home", {}).get("", None)
    return Overrides(home=home, **sections), problems


def _parse_file(path: Path, rel: str, content_dir: Path) -> tuple[dict[str, Override], list[Diagnostic]]:
    text, read_problems = read_data_file(path, rel, content_dir)
    if text is None:
        return {}, read_problems
    try:
        data = load_yaml(text, rel)
    except BriefingError as err:
        return {}, read_problems + list(err.diagnostics)
    entries, problems = _entries(data, path, rel)
    return entries, read_problems + problems


def _entries(data, path: Path, rel: str) -> tuple[dict[str, Override], list[Diagnostic]]:
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Diagnostic(rel, 1, None, "must be a mapping of ids to settings")]
    allowed = FILES[path.name]
    if path.name == "home.yaml":
        problems = _check_values(data, allowed, rel)
        return ({"": Override(rel, 1, dict(data))} if not problems else {}), problems
    entries, problems = {}, []
    for key, value in data.items():
        line = data.line_of(key)
        if not isinstance(value, dict):
            problems.append(Diagnostic(rel, line, None, f"'{key}' must map to settings such as 'summary: …', got {type_name(value)}"))
            continue
        found = _check_values(value, allowed, rel)
        problems += found
        if not found:
            entries[str(key)] = Override(rel, line, dict(value))
    return entries, problems


def _check_values(values, allowed: tuple[str, ...], rel: str) -> list[Diagnostic]:
    problems = []
    for key, value in values.items():
        line = values.line_of(key)
        if key not in allowed:
            problems.append(Diagnostic(rel, line, None, f"unknown key '{key}'{did_you_mean(str(key), allowed)}; expected {', '.join(allowed)}"))
        elif key in ("summary", "title") and (not isinstance(value, str) or not value.strip()):
            problems.append(Diagnostic(rel, line, None, f"'{key}' must be non-empty text, got {type_name(value)}"))
        elif key == "merge_topics" and not _list_of_lists(value):
            problems.append(Diagnostic(rel, line, None, "'merge_topics' must be a list of lists of topic labels"))
        elif key == "split_topics" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(Diagnostic(rel, line, None, "'split_topics' must be a list of topic labels"))
    return problems


def _list_of_lists(value) -> bool:
    return isinstance(value, list) and all(isinstance(g, list) and len(g) >= 2 and all(isinstance(x, str) for x in g) for g in value)


def validate(overrides: Overrides, corpus: Corpus) -> list[Diagnostic]:
    """Every override must name something that has a page."""
    problems = []
    kinds = {e.id: e.type for e in corpus.entities}
    for section, wanted in (("regions", "region"), ("actors", "actor")):
        known = [i for i, t in kinds.items() if t == wanted]
        for key, entry in getattr(overrides, section).items():
            if kinds.get(key) == wanted:
                continue
            if key in kinds:
                other = "regions" if kinds[key] == "region" else "actors"
                message = f"'{key}' is a{'n' if kinds[key] == 'actor' else ''} {kinds[key]}, not a{'n' if wanted == 'actor' else ''} {wanted}; move it to overrides/{other}.yaml"
            else:
                message = f"unknown {wanted} '{key}'{did_you_mean(key, known)}"
            problems.append(Diagnostic(entry.path, entry.line, None, message))
    problems += _validate_ids(overrides.articles, [a.id for a in corpus.articles], "article")
    problems += _validate_ids(overrides.matrices, [m.id for m in corpus.matrices], "matrix")
    problems += _validate_topics(overrides, corpus)
    return problems


def _validate_ids(entries: dict[str, Override], known: list[str], what: str) -> list[Diagnostic]:
    return [Diagnostic(e.path, e.line, None, f"unknown {what} '{key}'{did_you_mean(key, known)}")
            for key, e in entries.items() if key not in known]


def _validate_topics(overrides: Overrides, corpus: Corpus) -> list[Diagnostic]:
    problems = []
    matrices = {m.id: m for m in corpus.matrices}
    for key, entry in overrides.matrices.items():
        matrix = matrices.get(key)
        if matrix is None:
            continue
        labels = [label for row in matrix.rows for label in row.labels]
        keys = {label_key(label) for label in labels}
        for label, line in _named_topics(entry):
            if label_key(label) not in keys:
                problems.append(Diagnostic(entry.path, line, None,
                                           f"matrix '{matrix.id}' has no topic '{label}'{did_you_mean(label, labels)}"))
    return problems


def _named_topics(entry: Override) -> list[tuple[str, int]]:
    """Every topic label an entry names, with the line it is written on."""
    named = []
    groups = entry.values.get("merge_topics", [])
    for i, group in enumerate(groups):
        for j, label in enumerate(group):
            named.append((label, _line(group, j, _line(groups, i, entry.line))))
    splits = entry.values.get("split_topics", [])
    named += [(label, _line(splits, i, entry.line)) for i, label in enumerate(splits)]
    return named


def _line(container, index: int, default: int) -> int:
    return container.line_of(index) if hasattr(container, "line_of") else default
