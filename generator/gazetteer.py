"""The gazetteer: known regions and actors, shipped as package data and extended by editors
in ``content/entities.yaml`` (format: generator/data/GAZETTEER.md)."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import BriefingError, Diagnostic, did_you_mean
from .model import Entity
from .yamlio import load_yaml, read_data_file

REGION_KINDS = ("country", "oblast", "city", "sea", "area")
ACTOR_KINDS = ("person", "state", "organisation", "media")
KEYS = ("id", "name", "type", "kind", "aliases", "demonyms", "parent", "country", "capital_of",
        "role", "context", "exact_case")
LIST_KEYS = ("aliases", "demonyms", "context", "exact_case")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_gazetteer(content_dir: Path | None) -> tuple[list[Entity], list[Diagnostic]]:
    """Shipped entities merged with the editor's; problems as diagnostics."""
    entities = shipped_entities()
    problems: list[Diagnostic] = []
    extra = content_dir / "entities.yaml" if content_dir else None
    if extra is not None and extra.is_file():
        rel = extra.relative_to(content_dir).as_posix()
        text, problems = read_data_file(extra, rel, content_dir)
        if text is not None:
            entities, found = parse_entities(text, rel, base=entities)
            problems += found
    return list(entities.values()), problems


def shipped_entities() -> dict[str, Entity]:
    """The package's gazetteer (a fresh dict of frozen entities; the file is parsed once)."""
    return dict(_parse_shipped())


@lru_cache(maxsize=1)
def _parse_shipped() -> tuple[tuple[str, Entity], ...]:
    shipped = resources.files("generator.data").joinpath("gazetteer.yaml").read_text("utf-8")
    entities, problems = parse_entities(shipped, "generator/data/gazetteer.yaml", base={})
    if problems:  # the shipped data is ours: a problem there is a bug
        raise BriefingError(problems)
    return tuple(entities.items())


def parse_entities(text: str, rel: str, base: dict[str, Entity]) -> tuple[dict[str, Entity], list[Diagnostic]]:
    try:
        data = load_yaml(text, rel)
    except BriefingError as err:
        return dict(base), list(err.diagnostics)
    if data is None:
        return dict(base), []
    if not isinstance(data, list):
        return dict(base), [Diagnostic(rel, 1, None, "must be a list of entity entries")]
    entities, problems = dict(base), []
    for i, entry in enumerate(data):
        entity, entry_problems = _entry(entry, rel, data.line_of(i), entities)
        problems += entry_problems
        if entity is not None:
            entities[entity.id] = entity
    problems += _check_references(entities, rel, data)
    return entities, problems


def _entry(entry, rel: str, line: int, known: dict[str, Entity]) -> tuple[Entity | None, list[Diagnostic]]:
    if not isinstance(entry, dict):
        return None, [Diagnostic(rel, line, None, "each entry must be a mapping with at least an 'id'")]
    problems = []
    for key in entry:
        if key not in KEYS:
            problems.append(Diagnostic(rel, entry.line_of(key), None, f"unknown key '{key}'{did_you_mean(str(key), KEYS)}"))
    for key in LIST_KEYS:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            problems.append(Diagnostic(rel, entry.line_of(key), None, f"'{key}' must be a list of names"))
    for key in LIST_KEYS:
        value = entry.get(key, [])
        if isinstance(value, list) and key != "context":
            for i, name in enumerate(value):
                if isinstance(name, (str, int, float)) and str(name).strip() and not re.search(r"\w", str(name)):
                    problems.append(Diagnostic(rel, value.line_of(i), None, f"'{key}' entry {str(name).strip()!r} has no "
                                               "letter or digit; it would match punctuation everywhere"))
    for key in ("name", "role", "parent", "country", "capital_of"):
        if key in entry and not isinstance(entry[key], str):
            problems.append(Diagnostic(rel, entry.line_of(key), None, f"'{key}' must be text"))
        elif key == "name" and key in entry and not re.search(r"\w", entry[key]):
            problems.append(Diagnostic(rel, entry.line_of(key), None, "'name' must contain a letter or digit"))
    entity_id = entry.get("id")
    if not isinstance(entity_id, str) or not _ID.match(entity_id):
        problems.append(Diagnostic(rel, entry.line_of("id"), None,
                                   f"'id' must be a slug (lower-case letters, digits, hyphens), got {entity_id!r}"))
    elif entity_id == "index":
        problems.append(Diagnostic(rel, entry.line_of("id"), None,
                                   "'id' 'index' is the id of the section index page; choose another"))
    if problems:
        return None, problems
    if entity_id in known:
        problems = _type_problems(entry, rel, entry.get("type", known[entity_id].type), entry.get("kind"))
        return (None, problems) if problems else (_extend(known[entity_id], entry, rel, line), [])
    return _new(entry, rel, line)


def _strs(entry, key) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in entry.get(key, []) if str(v).strip())


def _extend(entity: Entity, entry, rel: str, line: int) -> Entity:
    """An editor's entry for a known id adds aliases and may replace scalar fields."""
    changes = {key: entry[key] for key in ("name", "type", "kind", "role", "parent", "country", "capital_of") if key in entry}
    for key in LIST_KEYS:
        added = tuple(a for a in _strs(entry, key) if a not in getattr(entity, key))
        changes[key] = getattr(entity, key) + added
    return replace(entity, origin=f"{rel}:{line}", **changes)


def _new(entry, rel: str, line: int) -> tuple[Entity | None, list[Diagnostic]]:
    problems = []
    for key in ("name", "type", "kind"):
        if key not in entry:
            problems.append(Diagnostic(rel, line, None, f"new entity '{entry['id']}' needs '{key}'"))
    etype, kind = entry.get("type"), entry.get("kind")
    problems += _type_problems(entry, rel, etype, kind)
    if problems:
        return None, problems
    origin = "gazetteer" if rel.startswith("generator/") else f"{rel}:{line}"
    return Entity(
        id=entry["id"], name=str(entry["name"]).strip(), type=etype, kind=kind,
        aliases=_strs(entry, "aliases"), demonyms=_strs(entry, "demonyms"),
        parent=entry.get("parent"), country=entry.get("country"), capital_of=entry.get("capital_of"),
        role=entry.get("role"), context=_strs(entry, "context"), exact_case=_strs(entry, "exact_case"),
        origin=origin,
    ), []


def _type_problems(entry, rel: str, etype, kind) -> list[Diagnostic]:
    """A type other than region/actor, or a kind that does not belong to the type."""
    if etype not in (None, "region", "actor"):
        return [Diagnostic(rel, entry.line_of("type"), None, f"type must be 'region' or 'actor', got {etype!r}")]
    kinds = REGION_KINDS if etype == "region" else ACTOR_KINDS
    if etype and kind is not None and kind not in kinds:
        article = "an" if etype == "actor" else "a"
        return [Diagnostic(rel, entry.line_of("kind"), None, f"kind of {article} {etype} must be one of "
                           f"{', '.join(kinds)}, got {kind!r}{did_you_mean(str(kind), kinds)}")]
    return []


def _check_references(entities: dict[str, Entity], rel: str, data) -> list[Diagnostic]:
    entries = {e.get("id"): e for e in data if isinstance(e, dict)}
    problems = []
    for entity in entities.values():
        if entity.id not in entries:
            continue
        for key in ("parent", "country", "capital_of"):
            target = getattr(entity, key)
            if target and target not in entities:
                problems.append(Diagnostic(rel, entries[entity.id].line_of(key), None,
                                           f"'{entity.id}': {key} '{target}' is not a known entity{did_you_mean(target, entities)}"))
    return problems
