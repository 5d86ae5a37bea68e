"""Tables: parse pipe-table blocks and classify them (position comparison or other)."""
from __future__ import annotations

import re

from .linking import Linker, tokens
from .model import Block, Table
from .structure import is_separator, parse_cells

# Words that may stand beside an actor's name in a comparison column header
# ("U.S. Position", "Russian Government", "Kyiv's View", "Trump Administration").
STANCE_WORDS = frozenset("""
position positions government administration stance view views perspective side approach policy
policies response goals goal aims demands demand camp team leadership proposal proposals plan
plans interest interests official officially line red lines s the 's of and
""".split())
# Words whose presence turns a person into their state ("Trump Administration").
GOVERNMENT_WORDS = frozenset("government administration camp team leadership cabinet".split())
# First-column headers of tables keyed by region: a city name there stands for its oblast
# ("Region | ..." with "Donetsk" is Donetsk Oblast) ...
REGION_KEY_HEADERS = frozenset("region regions area areas oblast oblasts province provinces front fronts "
                               "sector sectors direction directions territory territories".split())
# ... and of tables keyed by place, where a city stays a city ("Town | ..." with "Donetsk").
PLACE_KEY_HEADERS = frozenset("city cities town towns settlement settlements location locations "
                              "place places".split())


def parse_table(block: Block, index: int) -> Table:
    """Header and rows of a table block; separator rows dropped, ragged rows padded."""
    lines = block.text.split("\n")
    numbers = list(block.item_lines) or list(range(block.line, block.line + len(lines)))
    rows = [(n, parse_cells(line)) for n, line in zip(numbers, lines) if not is_separator(line)]
    width = max((len(cells) for _, cells in rows), default=0)
    padded = [(n, tuple(cells + [""] * (width - len(cells)))) for n, cells in rows]
    header = padded[0][1] if padded else ()
    body = padded[1:]
    return Table(index=index, block=block.index, line=block.line, header=header,
                 rows=tuple(r for _, r in body), row_lines=tuple(n for n, _ in body))


def classify(table: Table, linker: Linker, context: str) -> Table:
    """Fill kind, column actors and, for region-keyed tables, the region of each row."""
    actors = []
    for cell in table.header[1:]:
        actor = column_actor(cell, linker, context)
        if actor:
            actors.append((cell, actor))
    kind = "position-comparison" if len({a for _, a in actors}) >= 2 else "other"
    rows = region_rows(table, linker, context) if _region_keyed(table) else ()
    return Table(table.index, table.block, table.line, table.header, table.rows, table.row_lines,
                 kind, tuple(actors) if kind == "position-comparison" else (), rows)


def column_actor(cell: str, linker: Linker, context: str) -> str | None:
    """The actor a header cell stands for, when the cell is an actor's name plus stance words."""
    matches = [m for m in linker.find(cell, context) if linker.entities[m.entity].is_actor]
    if len(matches) != 1:
        return None
    match = matches[0]
    rest = cell[:match.start] + " " + cell[match.end:]
    words = [t.lower() for t, _, _ in tokens(rest) if re.match(r"\w", t)]
    if any(w not in STANCE_WORDS for w in words):
        return None
    entity = linker.entities[match.entity]
    if entity.kind == "person" and entity.country and GOVERNMENT_WORDS & set(words):
        return entity.country
    return entity.id


def _region_keyed(table: Table) -> bool:
    return bool(table.header) and table.header[0].strip().lower() in REGION_KEY_HEADERS | PLACE_KEY_HEADERS


def region_hint(table: Table) -> bool:
    """True when the table's first column names regions, so a city name means its oblast."""
    return bool(table.header) and table.header[0].strip().lower() in REGION_KEY_HEADERS


def region_rows(table: Table, linker: Linker, context: str) -> tuple[tuple[int, str], ...]:
    rows = []
    for i, row in enumerate(table.rows):
        matches = [m for m in linker.find(row[0], context, region_hint=region_hint(table))
                   if linker.entities[m.entity].type == "region"]
        if matches:
            rows.append((i, matches[0].entity))
    return tuple(rows)
