"""Conflicts: sources that give different numbers for the same quantity.

Figures are one quantity when they count one family of things (troops, soldiers and men are
one family: generator/data/figures.yaml), with the same measure (strength, losses …) and rate,
about the same actor and the same region (a city counts as its oblast). A conflict is such a
quantity with different values from different sources; copies of one syndicated story are one
source. Nothing is ruled right or wrong: every claim keeps its article and wording.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from .figures import vocabulary
from .model import Conflict, Entity, Figure
from .slugs import slugify
from .syndication import canonical

Key = tuple[str, str | None, str | None, str, str | None, str | None]  # family, measure, per, actor, region, period


def find_conflicts(figures, entities: dict[str, Entity],
                   syndicated: tuple[tuple[str, ...], ...] = ()) -> tuple[Conflict, ...]:
    """Every quantity on which sources disagree, sorted by topic."""
    source = canonical(syndicated)
    periods = _periods(figures)
    groups: dict[Key, list[Figure]] = defaultdict(list)
    for figure in figures:
        key = quantity(figure, entities, periods.get((figure.article, figure.sentence)))
        if key is not None:
            groups[key].append(figure)
    disputed = {}
    for key, claims in groups.items():
        claims = _without_copies(claims, source)
        if _disagree(claims, source):
            disputed[key] = sorted(claims, key=lambda f: (f.article, f.line, f.text))
    ids = conflict_ids(disputed)
    conflicts = [Conflict(ids[key], topic(key, entities), key[0], key[3], key[4], tuple(claims))
                 for key, claims in disputed.items()]
    return tuple(sorted(conflicts, key=lambda c: (c.topic, c.claims[0].article)))


def conflict_ids(keys) -> dict[Key, str]:
    """{key: id}: the slug of what is counted, its rate and period, the actor and the region
    ("troops-losses-russia-kursk-oblast"); a key whose slug is taken gets "-2", "-3"... (in key
    order, so the same keys get the same ids on every run)."""
    ids: dict[Key, str] = {}
    used: set[str] = set()
    for key in sorted(keys, key=lambda k: tuple(part or "" for part in k)):
        family, measure, per, actor, region, period = key
        parts = [family, measure, per and f"per {per}", period and f"over {period}", actor, region]
        slug = found = slugify(" ".join(p for p in parts if p)) or "figure"
        n = 1
        while found in used:
            n += 1
            found = f"{slug}-{n}"
        ids[key] = found
        used.add(found)
    return ids


def quantity(figure: Figure, entities: dict[str, Entity], period: str | None = None) -> Key | None:
    """What a figure counts, or None when it cannot take part in a conflict.

    Losses and captures are cumulative: without a region they are not comparable.
    """
    voc = vocabulary()
    if figure.value is None or not figure.unit or figure.unit in durations() or figure.actor is None:
        return None
    region = _area(figure.region, entities)
    if figure.measure in voc.measure_names and region is None:
        return None
    unit = figure.unit
    if (unit == "percent" or unit in _currencies()) and figure.measure is None:
        return None  # an amount or a share of nothing named: not comparable
    return _family(unit), figure.measure, figure.per, figure.actor, region, period


def _family(unit: str) -> str:
    """troops, soldiers and men are one family; other counted nouns count as their plural."""
    voc = vocabulary()
    if unit in voc.families:
        return voc.families[unit]
    if unit in _units() or unit.endswith("s"):
        return unit
    return unit + "s"


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    voc = vocabulary()
    return frozenset(voc.currencies.values()) | frozenset(voc.currency_words.values())


@lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    """Units proper (km, percent, USD …), as opposed to counted nouns."""
    voc = vocabulary()
    return frozenset(voc.unit_words.values()) | _currencies()


def _periods(figures) -> dict[tuple[str, int], str]:
    """{(article, sentence): "6 months"}: the span a sentence's counts cover ("in the past six months")."""
    spans = durations()
    return {(f.article, f.sentence): f"{f.value} {f.unit}" for f in figures if f.unit in spans}


@lru_cache(maxsize=1)
def durations() -> frozenset[str]:
    return frozenset(vocabulary().durations.values())


def _area(region: str | None, entities: dict[str, Entity]) -> str | None:
    """A city stands for its oblast: "Kursk" and "the Kursk region" are one area."""
    entity = entities.get(region or "")
    if entity is not None and entity.kind == "city" and entity.parent in entities \
            and entities[entity.parent].kind == "oblast":
        return entity.parent
    return region


def _without_copies(claims: list[Figure], source: dict[str, str]) -> list[Figure]:
    """One claim per wording and value per story: a syndicated copy adds nothing."""
    seen, kept = set(), []
    for f in sorted(claims, key=lambda f: (source.get(f.article, f.article) != f.article, f.article, f.line, f.text)):
        key = (source.get(f.article, f.article), f.value, f.text)
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _disagree(claims: list[Figure], source: dict[str, str]) -> bool:
    values = {(source.get(f.article, f.article), f.value) for f in claims}
    return any(s1 != s2 and v1 != v2 for s1, v1 in values for s2, v2 in values)


def topic(key: Key, entities: dict[str, Entity]) -> str:
    family, measure, per, actor, region, period = key
    words = [family]
    if measure:
        words.append(f"({measure})")
    if per:
        words.append(f"per {per}")
    if period:
        words.append(f"over {period}")
    where = [_name(actor, entities)] + ([_name(region, entities)] if region else [])
    return " ".join(words) + " — " + ", ".join(where)


def _name(entity_id: str, entities: dict[str, Entity]) -> str:
    entity = entities.get(entity_id)
    return entity.name if entity else entity_id
