"""Export: the model as JSON, schema ``briefing-export/1`` (plus a few extra fields)."""
from __future__ import annotations

import json
from collections import Counter

from .model import Article, Corpus, Entity, Figure, Matrix

SCHEMA = "briefing-export/1"


def export_data(corpus: Corpus) -> dict:
    counts = Counter(m.entity for m in corpus.mentions)
    return {
        "schema": SCHEMA,
        "articles": [_article(a, corpus) for a in corpus.articles],
        "entities": [_entity(e, counts[e.id], corpus) for e in corpus.entities],
        "matrices": [_matrix(m) for m in corpus.matrices],
        "conflicts": [{"topic": c.topic, "unit": c.unit, "actor": c.actor, "region": c.region,
                       "claims": [dict(_figure(f), article=f.article) for f in c.claims]}
                      for c in corpus.conflicts],
        "unlinked_candidates": [{"name": c.name, "count": c.count} for c in corpus.candidates],
        "syndicated": [list(group) for group in corpus.syndicated],
    }


def export_json(corpus: Corpus) -> str:
    return json.dumps(export_data(corpus), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _article(article: Article, corpus: Corpus) -> dict:
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "title_origin": article.title_origin,
        "language": article.language,
        "meta": {k: v for k, v in vars(article.meta).items() if v is not None},
        "words": article.words,
        "entities": list(article.entities),
        "headings": [b.text for b in article.blocks if b.kind == "heading"],
        "boilerplate": [{"line": n, "text": t} for n, t in article.boilerplate],
        "tables": [{"header": list(t.header), "rows": [list(r) for r in t.rows], "kind": t.kind,
                    "column_actors": dict(t.column_actors), "line": t.line} for t in article.tables],
        "quotes": [{"text": q.text, "speaker": q.speaker, "speaker_label": q.speaker_label,
                    "kind": q.kind, "line": q.line} for q in corpus.quotes if q.article == article.id],
        "figures": [_figure(f) for f in corpus.figures if f.article == article.id],
    }


def _figure(f: Figure) -> dict:
    return {"text": f.text, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
            "actor": f.actor, "region": f.region, "line": f.line, "per": f.per, "measure": f.measure}


def _entity(e: Entity, mentions: int, corpus: Corpus) -> dict:
    seen = sorted({m.surface for m in corpus.mentions if m.entity == e.id})
    return {"id": e.id, "name": e.name, "type": e.type, "kind": e.kind,
            "aliases": list(dict.fromkeys([*e.aliases, *e.demonyms])),
            "aliases_seen": seen, "role": e.role, "mentions": mentions, "origin": e.origin}


def _matrix(m: Matrix) -> dict:
    return {"id": m.id, "title": m.title, "actors": list(m.actors),
            "rows": [{"topic": r.topic, "labels": list(r.labels), "merge_reason": r.merge_reason,
                      "cells": {actor: [{"text": c.text, "article": c.article, "line": c.line, "column": c.column}
                                        for c in cells] for actor, cells in r.cells}}
                     for r in m.rows]}
