"""Position matrices: every comparison table about one set of actors merged into one matrix.

Rows merge when their topic labels are the same after normalisation, when an editor's
``merge_topics`` says so, or when their labels and cells show one topic (see ``topics``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Article, Entity, Matrix, MatrixCell, MatrixRow
from .topics import similar_rows


def label_key(label: str) -> str:
    """Casefolded label without possessives, punctuation or plural endings."""
    text = label.replace("’", "'").casefold()
    text = re.sub(r"'s\b", "", text)
    words = re.findall(r"\w+", text)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


@dataclass
class _Row:
    labels: list[str]
    cells: dict[str, list[MatrixCell]] = field(default_factory=dict)
    sources: set[tuple[str, int]] = field(default_factory=set)  # (article, table) rows came from
    reason: str = "same label"


def build_matrices(articles: list[Article], entities: dict[str, Entity],
                   merge_topics: dict[str, list[list[str]]] | None = None,
                   split_topics: dict[str, list[str]] | None = None) -> list[Matrix]:
    """One matrix per set of compared actors, sorted by id."""
    groups: dict[frozenset[str], list[tuple[Article, object]]] = {}
    for article in articles:
        for table in article.tables:
            if table.kind == "position-comparison":
                key = frozenset(a for _, a in table.column_actors)
                groups.setdefault(key, []).append((article, table))
    order = {key: _column_order(tables) for key, tables in groups.items()}
    names = _name_words(entities)
    matrices = [_matrix(order[key], tables, entities, merge_topics or {}, names, (split_topics or {}))
                for key, tables in groups.items()]
    return sorted(matrices, key=lambda m: m.id)


def _column_order(tables) -> tuple[str, ...]:
    """Actors in the order the tables most often put them (mean column position, then id),
    so a matrix's id and URL do not depend on which article happens to sort first."""
    positions: dict[str, list[int]] = {}
    for _, table in tables:
        for position, (_, actor) in enumerate(table.column_actors):
            positions.setdefault(actor, []).append(position)
    return tuple(sorted(positions, key=lambda a: (sum(positions[a]) / len(positions[a]), a)))


def matrix_id(actors: tuple[str, ...]) -> str:
    return "-vs-".join(actors)


def _name_words(entities: dict[str, Entity]) -> frozenset[str]:
    """One-word names of states and organisations ("ukraine", "nato", "russian")."""
    out = set()
    for e in entities.values():
        if e.kind in ("country", "state", "organisation"):
            out |= {n.lower() for n in (e.name, *e.aliases, *e.demonyms) if " " not in n}
    return frozenset(out)


def _matrix(actors, tables, entities, merge_topics, name_words, split_topics) -> Matrix:
    mid = matrix_id(actors)
    apart = {label_key(label) for label in split_topics.get(mid, [])}
    rows: list[_Row] = []
    by_key: dict[str, _Row] = {}
    manual = {label_key(label): n for n, group in enumerate(merge_topics.get(mid, [])) for label in group}
    for article, table in tables:
        columns = dict(table.column_actors)
        for values, line in zip(table.rows, table.row_lines):
            label = values[0].strip()
            cells = {}
            for header, text in zip(table.header[1:], values[1:]):
                actor = columns.get(header)
                if actor and text.strip():
                    cells.setdefault(actor, []).append(MatrixCell(text.strip(), article.id, table.index, line, header, label))
            key = label_key(label)
            group_key = f"manual:{manual[key]}" if key in manual else key
            row = by_key.get(group_key)
            if row is None:
                row = _Row([label])
                rows.append(row)
                by_key[group_key] = row
            elif label not in row.labels:
                row.labels.append(label)
                row.reason = "editor's merge" if key in manual else "same label"
            for actor, actor_cells in cells.items():
                row.cells.setdefault(actor, []).extend(actor_cells)
            row.sources.add((article.id, table.index))
    rows = _merge_similar(rows, name_words, apart)
    title = " vs ".join(entities[a].name for a in actors)
    return Matrix(
        id=mid, title=title, actors=tuple(actors),
        rows=tuple(MatrixRow(r.labels[0], tuple(r.labels), tuple((a, tuple(r.cells.get(a, ()))) for a in actors), r.reason)
                   for r in rows),
        sources=tuple(sorted({(a.id, t.index) for a, t in tables})),
    )


def _merge_similar(rows: list[_Row], name_words: frozenset[str], apart: set[str]) -> list[_Row]:
    """Merge rows that name one topic differently (never two rows of the same table)."""
    texts = [" ".join(r.labels) + " " + " ".join(c.text for cs in r.cells.values() for c in cs) for r in rows]
    for i, j, reason in similar_rows([r.labels for r in rows], texts, name_words):
        a, b = rows[i], rows[j]
        if a is b or not a.cells or not b.cells or a.sources & b.sources or a.reason == "editor's merge":
            continue
        if any(label_key(label) in apart for label in a.labels + b.labels):
            continue
        a.labels += [label for label in b.labels if label not in a.labels]
        for actor, cells in b.cells.items():
            a.cells.setdefault(actor, []).extend(cells)
        a.sources |= b.sources
        a.reason = reason
        b.cells = {}
    return [r for r in rows if r.cells]
