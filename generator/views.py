"""Views: the data each page template receives, built from the corpus and overrides.

Templates get these plain structures and nothing else; every link in them comes from
``planning.href`` and is marked safe, every piece of text is escaped when printed.
"""
from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain

from markupsafe import Markup

from .escaping import highlight, safe
from .model import Article, Corpus, Entity, Matrix, Mention, paragraph_anchor
from .overrides import Overrides
from . import planning
from .planning import (SECTIONS, Page, archive_path, article_path, chunk_label, conflict_path, entity_path, href,
                       matrix_path)
from .summaries import Cited, SentenceIndex, article_summary, entity_summary, home_summary, matrix_summary

RELATED_SHOWN = 12
TOP_SHOWN = 10


# --- inputs of a page ---------------------------------------------------------------------------
# Every lookup a view makes goes through the Context below; while a page is rendered with
# ``recording`` on, each lookup is noted as one of the page's inputs, e.g. ("article", id) or
# ("mentions", entity id). A page whose noted inputs are all unchanged renders to the same text,
# which lets `generate` skip it (``output.Inputs`` says what "unchanged" means for each kind).
# Reading the whole corpus (home, indexes, figure and quote lists) is the input ("corpus",).

# An input that covers articles (("mentions", id): the articles mentioning it, changed when one
# of them is; ("chunk", path): an archive page's articles) makes noting each of their reads
# needless: ``cover`` says so, and keeps a page's inputs, and its fingerprint, small.

_RECORD: set | None = None
_COVERED: set = set()


def recording(on: bool) -> set | None:
    """Start noting a page's inputs (returns the set being filled), or stop (returns None)."""
    global _RECORD
    _RECORD = set() if on else None
    _COVERED.clear()
    return _RECORD


def cover(article_ids) -> None:
    """The page has noted an input whose value covers everything these articles yield."""
    if _RECORD is not None:
        _COVERED.update(article_ids)


class Recorded(dict):
    """A dict whose reads are noted as inputs: ``kind`` names them, ``missing`` is what an
    absent key gives (None: KeyError), ``of`` turns a key into the input's key."""

    def __init__(self, kind: str, data=(), missing=None, of=None):
        super().__init__(data)
        self.kind, self.missing, self.of = kind, missing, of

    def _note(self, key) -> None:
        if _RECORD is not None:
            key = self.of(key) if self.of else key
            if self.kind != "article" or key not in _COVERED:
                _RECORD.add((self.kind, key))

    def __getitem__(self, key):
        self._note(key)
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if self.missing is None:
            raise KeyError(key)
        return self.missing()

    def get(self, key, default=None):
        self._note(key)
        return dict.get(self, key, default)

    def __contains__(self, key):
        self._note(key)
        return dict.__contains__(self, key)


class Context:
    """Lookups shared by every view of one build, each index built once (a view never scans
    the whole corpus for one entity or article), each read noted while recording."""

    def __init__(self, corpus: Corpus, overrides: Overrides):
        self._corpus, self._overrides = corpus, overrides
        by_article = {a.id: a for a in corpus.articles}
        entities = {e.id: e for e in corpus.entities}
        mentions_of: dict[str, list[Mention]] = defaultdict(list)
        for m in corpus.mentions:
            mentions_of[m.entity].append(m)
        counts = Counter({entity: len(found) for entity, found in mentions_of.items()})
        index = SentenceIndex(corpus)
        index.articles = Recorded("article", index.articles)
        index.entities_in = Recorded("article", index.entities_in, of=lambda key: key[0])
        quotes_by_speaker: dict = {}
        quotes_by_article: dict = {}
        for q in corpus.quotes:
            quotes_by_speaker.setdefault(q.speaker, []).append(q)
            quotes_by_article.setdefault(q.article, []).append(q)
        figures_by_entity: dict = {}
        figures_by_article: dict = {}
        for f in corpus.figures:
            for entity_id in dict.fromkeys((f.actor, f.region)):
                if entity_id is not None:
                    figures_by_entity.setdefault(entity_id, []).append(f)
            figures_by_article.setdefault(f.article, []).append(f)
        conflicts_by_entity: dict = {}
        for c in corpus.conflicts:
            for entity_id in dict.fromkeys((c.actor, c.region)):
                if entity_id is not None:
                    conflicts_by_entity.setdefault(entity_id, []).append(c)
        region_rows_of: dict = {}  # region id: [(article, table, row index)]
        for article in corpus.articles:
            for table in article.tables:
                for row_index, region in table.row_entities:
                    region_rows_of.setdefault(region, []).append((article, table, row_index))
        matrices_of: dict = {}  # actor id: the matrices comparing it
        for matrix in corpus.matrices:
            for actor in dict.fromkeys(matrix.actors):
                matrices_of.setdefault(actor, []).append(matrix)
        self._dates = planning.article_dates(corpus)  # what "latest" sorts by
        self._rank: tuple = (None, {})  # (the dates it was made from, each article's rank by them)
        # What one article says about one entity, {(entity id, article id): [...]}, for archive
        # pages: all but the positions are the article's own (its input); a position's topic
        # comes from the matrix, so an archive page's input ("chunk", path) covers them too.
        mentions_in, rows_in, quotes_in, figures_in, positions_in = {}, {}, {}, {}, {}
        for m in corpus.mentions:
            mentions_in.setdefault((m.entity, m.article), []).append(m)
        for region, rows in region_rows_of.items():
            for row in rows:
                rows_in.setdefault((region, row[0].id), []).append(row)
        for speaker, quotes in quotes_by_speaker.items():
            for q in quotes:
                quotes_in.setdefault((speaker, q.article), []).append(q)
        for entity_id, figures in figures_by_entity.items():
            for f in figures:
                figures_in.setdefault((entity_id, f.article), []).append(f)
        cells_in: dict = {}  # {(matrix id, article id): [(row number, actor id, cell)]}, for matrix archive pages
        for matrix in corpus.matrices:
            for n, row in enumerate(matrix.rows):
                for actor, cells in row.cells:
                    for c in cells:
                        positions_in.setdefault((actor, c.article), []).append((matrix.id, matrix.title, row.topic, c))
                        cells_in.setdefault((matrix.id, c.article), []).append((n, actor, c))
        self.index = index
        self.articles = Recorded("article", by_article)
        self.entities = Recorded("entity", entities)
        self.counts = Recorded("count", counts, missing=int)
        self.mentions_of = Recorded("mentions", mentions_of, missing=list)
        self.matrices = Recorded("matrix", {m.id: m for m in corpus.matrices})
        self.quotes_by_speaker = Recorded("quotes_by_speaker", quotes_by_speaker)
        self.quotes_by_article = Recorded("article", quotes_by_article)
        self.figures_by_entity = Recorded("figures_by_entity", figures_by_entity)
        self.figures_by_article = Recorded("article", figures_by_article)
        self.conflicts_by_entity = Recorded("conflicts_by_entity", conflicts_by_entity)
        self.conflicts = Recorded("conflict", {c.id: c for c in corpus.conflicts})
        self.region_rows_of = Recorded("region_rows", region_rows_of)
        self.matrices_of = Recorded("matrices_of", matrices_of)
        by_article = (lambda key: key[1])
        self.mentions_in = Recorded("article", mentions_in, missing=list, of=by_article)
        self.rows_in = Recorded("article", rows_in, missing=list, of=by_article)
        self.quotes_in = Recorded("article", quotes_in, missing=list, of=by_article)
        self.figures_in = Recorded("article", figures_in, missing=list, of=by_article)
        self.positions_in = positions_in  # read by archive pages only, whose ("chunk", path) covers them
        self.cells_in = cells_in  # likewise
        self.archives = Recorded("archive", planning.archives(corpus), missing=tuple)

    def chunk(self, page: Page) -> None:
        """Note an archive page's articles (and its entity's positions in them) as one input."""
        if _RECORD is not None:
            _RECORD.add(("chunk", page.path))
            cover(page.articles)

    def latest(self, items, article=lambda item: item.article) -> tuple[list, int]:
        """The items of the latest ``LATEST_SHOWN`` articles they come from, newest first (by
        date, then id; an article's items in their order), and how many articles there are."""
        ids = sorted(dict.fromkeys(map(article, items)), key=self._oldest_first().__getitem__, reverse=True)
        if _RECORD is not None:
            for a in ids:  # their dates decide: an input unless covered
                self.articles._note(a)
        rank = {a: n for n, a in enumerate(ids[: planning.LATEST_SHOWN])}
        shown = sorted((i for i in items if article(i) in rank), key=lambda i: rank[article(i)])
        return shown, len(ids)

    def _oldest_first(self) -> dict[str, int]:
        """``planning.oldest_first`` of every article, made once (an entity page's lists ask four
        times, over thousands of articles at 10,000)."""
        if self._rank[0] is not self._dates:
            self._rank = (self._dates, planning.oldest_first(self._dates))
        return self._rank[1]

    @classmethod
    def build(cls, corpus: Corpus, overrides: Overrides) -> "Context":
        return cls(corpus, overrides)

    @property
    def corpus(self) -> Corpus:
        """The whole corpus (views that list everything: home, indexes, figures, quotes)."""
        if _RECORD is not None:
            _RECORD.add(("corpus",))
        return self._corpus

    @property
    def overrides(self) -> Overrides:
        if _RECORD is not None:
            _RECORD.add(("overrides",))
        return self._overrides


@lru_cache(maxsize=200_000)
def _relative(folder: str, path: str) -> str:
    """``posixpath.relpath(path, folder)`` for the docs folder's normalised relative paths, without
    its work of making both absolute (archive pages sit in many folders: few links repeat)."""
    up = folder.split("/") if folder else []
    down = path.split("/")
    common = 0
    while common < len(up) and common < len(down) - 1 and up[common] == down[common]:
        common += 1
    return "/".join([".."] * (len(up) - common) + down[common:])


class Links:
    """Relative links from one page. Links to entities carry their mention count only where
    pages show it (home, indexes: ``counts``), so that a page listing an entity does not depend
    on how often every other article mentions it."""

    def __init__(self, ctx: Context, page: str, counts: bool = False):
        self.ctx, self.page, self.counts = ctx, page, counts
        self.folder = posixpath.dirname(page)

    def to(self, path: str, anchor: str | None = None) -> Markup:
        rel = _relative(self.folder, path)  # what planning.href gives, remembered: pages share few folders
        return safe(f"{rel}#{anchor}" if anchor else rel)

    def known(self, entity_id: str | None) -> dict | None:
        """The link to an entity, or None when there is no such entity (or no id)."""
        return self.entity(entity_id) if entity_id in self.ctx.entities else None

    def entity(self, entity_id: str) -> dict:
        e = self.ctx.entities[entity_id]
        link = {"name": e.name, "url": self.to(entity_path(e.type, e.id)), "kind": e.kind}
        if self.counts:
            link["count"] = self.ctx.counts[e.id]
        return link

    def article(self, article_id: str, block: int | None = None) -> Markup:
        return self.to(article_path(article_id), paragraph_anchor(block) if block is not None else None)

    def cite(self, c: Cited, own_article: bool = False) -> dict:
        a = self.ctx.articles[c.article]
        label = f"¶{c.block + 1}" if own_article else a.title
        return {"text": c.text, "url": self.article(c.article, c.block), "article": label, "line": c.line}


def summary_view(links: Links, section: str, key: str, auto: list[Cited]) -> dict:
    override = links.ctx.overrides.summary(section, key) if section != "home" else (
        links.ctx.overrides.home.values.get("summary") if links.ctx.overrides.home else None)
    return {"override": override, "auto": [links.cite(c, own_article=section == "articles") for c in auto]}


def home_view(ctx: Context, page: Page) -> dict:
    links = Links(ctx, page.path, counts=True)
    corpus = ctx.corpus
    dates = sorted(a.meta.date for a in corpus.articles if a.meta.date)
    sources = sorted({a.meta.source for a in corpus.articles if a.meta.source})
    regions = [e for e in corpus.entities if e.type == "region"]
    actors = [e for e in corpus.entities if e.type == "actor" or e.kind == "country"]
    rank = ctx._oldest_first()
    latest = sorted(corpus.articles, key=lambda a: rank[a.id], reverse=True)[:TOP_SHOWN]
    return {
        "summary": summary_view(links, "home", "", home_summary(corpus, ctx.index)),
        "articles": len(corpus.articles), "sources": sources, "words": sum(a.words for a in corpus.articles),
        "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
        "undated": sum(1 for a in corpus.articles if not a.meta.date),
        "top_regions": [links.entity(e.id) for e in _top(regions, ctx.counts)],
        "top_actors": [links.entity(e.id) for e in _top(actors, ctx.counts)],
        "matrices": [_matrix_link(links, m) for m in corpus.matrices],
        "latest": [_article_link(links, a) for a in latest],
        "conflicts": [_conflict_view(links, c) for c in _most_disputed(corpus.conflicts)],
        "conflict_count": len(corpus.conflicts),
        "sections": {name: links.to(path) for name, (path, _) in SECTIONS.items()},
    }


def _most_disputed(conflicts) -> list:
    """The ``TOP_SHOWN`` conflicts with the most claims, in the order of the figures page."""
    top = set(sorted(range(len(conflicts)), key=lambda n: (-len(conflicts[n].claims), n))[:TOP_SHOWN])
    return [c for n, c in enumerate(conflicts) if n in top]


def _top(entities: list[Entity], counts: Counter) -> list[Entity]:
    return sorted(entities, key=lambda e: (-counts[e.id], e.name))[:TOP_SHOWN]


def _matrix_link(links: Links, m: Matrix) -> dict:
    return {"title": m.title, "url": links.to(matrix_path(m.id)), "topics": len(m.rows), "tables": len(m.sources)}


def _article_link(links: Links, a: Article) -> dict:
    return {"title": a.title, "url": links.to(article_path(a.id)), "date": a.meta.date, "source": a.meta.source,
            "mentions": len(a.entities), "words": a.words}


def section_view(ctx: Context, page: Page) -> dict:
    links = Links(ctx, page.path, counts=True)
    if page.key == "regions":
        rows = [links.entity(e.id) for e in ctx.corpus.entities if e.type == "region"]
    elif page.key == "actors":
        rows = [links.entity(e.id) for e in ctx.corpus.entities if e.is_actor]
    elif page.key == "matrices":
        rows = [_matrix_link(links, m) for m in ctx.corpus.matrices]
    else:
        rows = [_article_link(links, a) for a in sorted(ctx.corpus.articles, key=lambda a: a.title.casefold())]
    if page.key in ("regions", "actors"):
        rows.sort(key=lambda r: (-r["count"], r["name"]))
    return {"section": page.key, "title": page.title, "rows": rows}


def entity_view(ctx: Context, page: Page) -> dict:
    links = Links(ctx, page.path)
    entity = ctx.entities[page.key]
    mentions = ctx.mentions_of[entity.id]
    section = "regions" if entity.type == "region" else "actors"
    all_rows = ctx.region_rows_of.get(entity.id, ())
    all_quotes = ctx.quotes_by_speaker.get(entity.id, ())
    all_figures = ctx.figures_by_entity.get(entity.id, ())
    # the four inputs just noted stand for these articles (``output.Inputs``)
    cover([m.article for m in mentions] + [r[0].id for r in all_rows] + [q.article for q in all_quotes]
          + [f.article for f in all_figures])
    latest_mentions, mention_articles = ctx.latest(mentions)
    rows, row_articles = ctx.latest(all_rows, lambda row: row[0].id)
    quotes, quote_articles = ctx.latest(all_quotes)
    figures, figure_articles = ctx.latest(all_figures)
    return {
        "entity": entity,
        "kind": entity.kind,
        "parent": links.known(entity.parent),
        "country": links.known(entity.country),
        "summary": summary_view(links, section, entity.id, entity_summary(entity.id, mentions, ctx.index)),
        "aliases_seen": sorted({m.surface for m in mentions}),
        "mention_count": len(mentions),
        "mention_articles": mention_articles,
        "by_article": _mentions_by_article(links, entity.id, list(dict.fromkeys(m.article for m in latest_mentions))),
        "table_rows": _region_rows(links, rows),
        "row_articles": row_articles,
        "positions": _positions(links, entity.id),
        "quotes": [_quote_view(links, q) for q in quotes],
        "quote_articles": quote_articles,
        "figures": [_figure_view(links, f) for f in figures],
        "figure_articles": figure_articles,
        "conflicts": [_conflict_view(links, c) for c in ctx.conflicts_by_entity.get(entity.id, ())],
        **{f"related_{kind}s": found for kind, found in _related(links, mentions).items()},
        "latest_shown": planning.LATEST_SHOWN,
        "archive": _archive_links(links, ctx.archives[page.path]),
    }


def _archive_links(links: Links, pages: tuple[Page, ...]) -> dict | None:
    """Links to a page's archive pages, labelled '1–25 (first date – last date)', and how many
    articles they cover (None: no archive, the page shows everything)."""
    dates = links.ctx._dates
    if not pages:
        return None
    return {"articles": sum(len(p.articles) for p in pages), "per_page": planning.CHUNK_ARTICLES,
            "pages": [{"label": chunk_label(p.first, p.articles, dates), "url": links.to(p.path)} for p in pages]}


def _mentions_by_article(links: Links, entity_id: str, article_ids: list[str]) -> list[dict]:
    """The entity's mentions in these articles, article by article, with their sentences."""
    return [_article_mentions(links, article_id, links.ctx.mentions_in[(entity_id, article_id)])
            for article_id in article_ids]


def _article_mentions(links: Links, article_id: str, mentions: list[Mention]) -> dict:
    article = links.ctx.articles[article_id]
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    url, items = links.article(article_id), []
    for sentence_index, ms in sorted(by_sentence.items()):
        s = article.sentences[sentence_index]
        anchor = paragraph_anchor(s.block)  # links.article(article_id, s.block), its folder walked once
        items.append({"html": highlight(s.text, [(m.start, m.end) for m in ms]),
                      "url": safe(f"{url}#{anchor}"), "line": s.line, "anchor": anchor})
    return {"title": article.title, "url": url, "date": article.meta.date, "entries": items}


def _region_rows(links: Links, rows) -> list[dict]:
    return [{"header": table.header, "row": table.rows[row_index], "article": article.title,
             "url": links.article(article.id, table.block), "line": table.row_lines[row_index]}
            for article, table, row_index in rows]


def _positions(links: Links, entity_id: str) -> list[dict]:
    """The entity's cells in each matrix comparing it, from the latest articles that have any."""
    out = []
    for matrix in links.ctx.matrices_of.get(entity_id, ()):
        cells = [(n, c) for n, r in enumerate(matrix.rows) for c in r.cells_for(entity_id)]
        shown, articles = links.ctx.latest(cells, lambda cell: cell[1].article)
        by_row: dict[int, list] = defaultdict(list)
        for n, c in shown:
            by_row[n].append(_cell_view(links, c))
        rows = [{"topic": matrix.rows[n].topic, "cells": by_row[n]} for n in sorted(by_row)]
        out.append({"title": matrix.title, "url": links.to(matrix_path(matrix.id)), "rows": rows,
                    "articles": articles, "shown": min(articles, planning.LATEST_SHOWN)})
    return out


def _cell_view(links: Links, c) -> dict:
    article = links.ctx.articles[c.article]
    return {"text": c.text, "url": links.article(c.article, article.tables[c.table].block),
            "article": article.title, "short": short_label(article), "article_id": c.article,
            "column": c.column, "label": c.row_label, "line": c.line}


def short_label(article: Article, width: int = 48) -> str:
    """A source's short name for dense places: 'Publisher, date', else the title cut short."""
    if article.meta.source:
        return article.meta.source + (f", {article.meta.date}" if article.meta.date else "")
    title = article.title
    return title if len(title) <= width else title[: title.rfind(" ", 0, width - 1)].rstrip(",;:") + "…"


def _related(links: Links, mentions: list[Mention]) -> dict[str, list[dict]]:
    """The regions and the actors named most often in the sentences naming the entity: one pass."""
    own = mentions[0].entity if mentions else None
    # the sentences' articles are covered by the page's ("mentions", id): read without noting each
    entities_in = partial(dict.__getitem__, links.ctx.index.entities_in)
    counts = Counter(chain.from_iterable(map(entities_in, {(m.article, m.sentence) for m in mentions})))
    counts.pop(own, None)
    entities = {e: links.ctx.entities[e] for e in counts}
    out = {}
    for wanted in ("region", "actor"):
        found = [e for e in counts if (entities[e].type == "region") == (wanted == "region")]
        top = sorted(found, key=lambda e: (-counts[e], entities[e].name, e))[:RELATED_SHOWN]
        out[wanted] = [dict(links.entity(e), together=counts[e]) for e in top]
    return out


def _quote_view(links: Links, q) -> dict:
    speaker = links.known(q.speaker)
    return {"text": q.text, "speaker": speaker, "label": q.speaker_label, "kind": q.kind,
            "url": links.article(q.article, q.block), "article": links.ctx.articles[q.article].title, "line": q.line}


def _figure_view(links: Links, f) -> dict:
    sentence = links.ctx.articles[f.article].sentences[f.sentence].text
    return {"text": f.text, "value": f.value, "value_text": number_text(f.value), "unit": f.unit, "sentence": sentence,
            "url": links.article(f.article, f.block), "article": links.ctx.articles[f.article].title, "line": f.line}


def number_text(value) -> str:
    """45000 → '45,000'; 2.5 → '2.5'; None → '' (a vague magnitude such as "thousands")."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _conflict_view(links: Links, c) -> dict:
    """A conflict as one row of a list: what is counted and where, how many claims, and the
    values they range over; its page has every claim."""
    return {"topic": c.topic, "url": links.to(conflict_path(c.id)), "claims": len(c.claims)} | _value_range(c)


def _value_range(c) -> dict:
    values = [f.value for f in c.claims]
    return {"low": number_text(min(values)), "high": number_text(max(values))}


def conflict_view(ctx: Context, page: Page) -> dict:
    """A quantity the sources disagree on: every claim side by side, lowest value first, each
    with its date and a link to its paragraph."""
    links = Links(ctx, page.path)
    c = ctx.conflicts[page.key]
    claims = sorted(c.claims, key=lambda f: (f.value, ctx._dates[f.article], f.article, f.line))
    return {"title": page.title, "conflict": c, "up": links.to(SECTIONS["figures"][0]),
            "actor": links.known(c.actor),
            "region": links.known(c.region),
            "articles": len({f.article for f in c.claims}),
            "claims": [dict(_figure_view(links, f), date=ctx.articles[f.article].meta.date) for f in claims]} | _value_range(c)


def matrix_view(ctx: Context, page: Page) -> dict:
    """A matrix: its topics by actor, each cell every source's wording, and the source tables;
    with more than ``LATEST_SHOWN`` articles, the cells and tables of the latest ones (the
    others counted in each cell) and links to the archive pages holding all of them."""
    links = Links(ctx, page.path)
    matrix = ctx.matrices[page.key]
    archive = _archive_links(links, ctx.archives[page.path])
    cells = [(n, actor, c) for n, r in enumerate(matrix.rows) for actor in matrix.actors for c in r.cells_for(actor)]
    sources = list(matrix.sources)
    if archive is not None:
        cells, _ = ctx.latest(cells, lambda cell: cell[2].article)
        sources, _ = ctx.latest(sources, lambda source: source[0])
    shown: dict = defaultdict(list)
    for n, actor, c in cells:
        shown[(n, actor)].append(_cell_view(links, c))
    rows = [{"topic": r.topic, "labels": r.labels, "reason": r.merge_reason,
             "cells": [{"items": shown[(n, a)], "more": len(r.cells_for(a)) - len(shown[(n, a)])} for a in matrix.actors]}
            for n, r in enumerate(matrix.rows)]
    return {"matrix": matrix, "actors": [links.entity(a) for a in matrix.actors], "rows": rows,
            "sources": [_source_table(links, article_id, table_index) for article_id, table_index in sources],
            "tables": len(matrix.sources), "articles": len(planning.matrix_articles(matrix)),
            "latest_shown": planning.LATEST_SHOWN, "archive": archive,
            "summary": summary_view(links, "matrices", matrix.id, matrix_summary(matrix, ctx.index))}


def _source_table(links: Links, article_id: str, table_index: int) -> dict:
    article = links.ctx.articles[article_id]
    table = article.tables[table_index]
    return {"article": article.title, "url": links.article(article_id, table.block),
            "header": table.header, "rows": table.rows, "line": table.line}


def article_view(ctx: Context, page: Page) -> dict:
    links = Links(ctx, page.path)
    article = ctx.articles[page.key]
    tables = {t.block: t for t in article.tables}
    blocks = [{"kind": b.kind, "anchor": b.anchor, "text": b.text, "list_items": b.items, "line": b.line,
               "table": tables.get(b.index), "is_title": False} for b in article.blocks]
    if blocks and blocks[0]["kind"] == "heading" and blocks[0]["text"].strip() == article.title.strip():
        blocks[0]["is_title"] = True
    title_override = ctx.overrides.articles.get(article.id)
    return {
        "article": article, "meta": article.meta,
        "title": (title_override.values.get("title") if title_override else None) or article.title,
        "summary": summary_view(links, "articles", article.id, article_summary(article)),
        "entities": [links.entity(e) for e in sorted(article.entities, key=lambda e: ctx.entities[e].name)],
        "blocks": blocks,
        "quotes": [_quote_view(links, q) for q in ctx.quotes_by_article.get(article.id, ())],
        "figures": [_figure_view(links, f) for f in ctx.figures_by_article.get(article.id, ())],
        "boilerplate": article.boilerplate,
    }


def list_view(ctx: Context, page: Page) -> dict:
    """figures.md and quotes.md: every conflict, and the figures or quotes of the latest articles."""
    links = Links(ctx, page.path)
    corpus = ctx.corpus
    figures, figure_articles = ctx.latest(corpus.figures)
    quotes, quote_articles = ctx.latest(corpus.quotes)
    return {"quotes": [_quote_view(links, q) for q in _by_speaker(ctx, quotes)], "quote_count": len(corpus.quotes),
            "quote_articles": quote_articles,
            "conflicts": [_conflict_view(links, c) for c in corpus.conflicts],
            "figures": [_figure_view(links, f) for f in figures], "figure_count": len(corpus.figures),
            "figure_articles": figure_articles,
            "latest_shown": planning.LATEST_SHOWN, "archive": _archive_links(links, ctx.archives[page.path])}


def _by_speaker(ctx: Context, quotes) -> list:
    return sorted(quotes, key=lambda q: (_speaker_name(ctx, q), q.article, q.line))


def archive_view(ctx: Context, page: Page) -> dict:
    """An archive page: what ``page.articles`` (oldest first) say, for the page it continues."""
    links = Links(ctx, page.path)
    nav = {"up": links.to(page.owner), "owner": page.title.rsplit(": ", 1)[0],
           "prev": links.to(archive_path(page.owner, page.part - 1)) if page.part > 1 else None,
           "next": None if page.last else links.to(archive_path(page.owner, page.part + 1)),
           "first": links.to(archive_path(page.owner, 1)), "part": page.part, "first_index": page.first}
    ctx.chunk(page)
    if page.owner == SECTIONS["figures"][0]:
        figures = [f for a in page.articles for f in ctx.figures_by_article.get(a, ())]
        return {"what": "figures", "nav": nav, "figures": [_figure_view(links, f) for f in figures]}
    if page.owner == SECTIONS["quotes"][0]:
        quotes = [q for a in page.articles for q in ctx.quotes_by_article.get(a, ())]
        return {"what": "quotes", "nav": nav, "quotes": [_quote_view(links, q) for q in _by_speaker(ctx, quotes)]}
    if page.owner == matrix_path(page.key):
        return _matrix_archive(links, page, nav)
    entity = ctx.entities[page.key]
    return {"what": "entity", "nav": nav, "entity": entity,
            "articles": [_entity_in_article(links, entity.id, a) for a in page.articles]}


def _matrix_archive(links: Links, page: Page, nav: dict) -> dict:
    """A matrix's archive page: each article's cells by topic and actor, and its source tables.
    The matrix is read without noting it: the page's ("chunk", path) input covers its cells."""
    ctx = links.ctx
    matrix = dict.__getitem__(ctx.matrices, page.key)
    tables: dict = defaultdict(list)
    for article_id, table_index in matrix.sources:
        tables[article_id].append(table_index)
    articles = []
    for article_id in page.articles:
        article = ctx.articles[article_id]
        by_row: dict = defaultdict(lambda: {actor: [] for actor in matrix.actors})
        for n, actor, c in ctx.cells_in.get((matrix.id, article_id), ()):
            by_row[n][actor].append(_cell_view(links, c))
        articles.append({"title": article.title, "url": links.article(article_id), "date": article.meta.date,
                         "rows": [{"topic": matrix.rows[n].topic, "cells": list(by_row[n].values())} for n in sorted(by_row)],
                         "tables": [_source_table(links, article_id, t) for t in tables[article_id]]})
    return {"what": "matrix", "nav": nav, "actors": [links.entity(a) for a in matrix.actors], "articles": articles}


def _entity_in_article(links: Links, entity_id: str, article_id: str) -> dict:
    """Everything one article says about an entity: mentions, positions, table rows, quotes, figures."""
    ctx = links.ctx
    view = _article_mentions(links, article_id, ctx.mentions_in[(entity_id, article_id)])
    view["positions"] = [dict(_cell_view(links, c), matrix=title, matrix_url=links.to(matrix_path(matrix_id)),
                              topic=topic)  # not noted: the page's ("chunk", path) input covers them
                         for matrix_id, title, topic, c in ctx.positions_in.get((entity_id, article_id), ())]
    view["table_rows"] = _region_rows(links, ctx.rows_in[(entity_id, article_id)])
    view["quotes"] = [_quote_view(links, q) for q in ctx.quotes_in[(entity_id, article_id)]]
    view["figures"] = [_figure_view(links, f) for f in ctx.figures_in[(entity_id, article_id)]]
    return view


def _speaker_name(ctx: Context, q) -> str:
    if q.speaker in ctx.entities:
        return ctx.entities[q.speaker].name.casefold()
    return "~" + (q.speaker_label or "").casefold()


VIEWS = {"home": home_view, "section": section_view, "region": entity_view, "actor": entity_view,
         "matrix": matrix_view, "article": article_view, "conflict": conflict_view, "figures": list_view,
         "quotes": list_view, "archive": archive_view}
