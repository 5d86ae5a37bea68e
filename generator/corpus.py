"""The build of the model: read every file, check it, analyse every article, link the corpus.

``load_corpus`` is the one entry point: it returns a frozen Corpus or raises a BriefingError
carrying every problem found (warnings included, so the CLI can show them all together).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .conflicts import find_conflicts
from .discovery import discover_entities
from .errors import BriefingError, Diagnostic
from .figures import find_figures
from .gazetteer import load_gazetteer
from .language import detect_language
from .linking import Linker, Match
from .matrices import build_matrices
from .model import Article, Block, Candidate, Corpus, Figure, Mention, Quote, Sentence, Table
from .quotes import find_quotes
from .reading import SourceDoc, discover, load_patterns, read_source
from .structure import find_title, sentences_of, split_blocks
from .syndication import find_syndicated
from .tables import classify, parse_table, region_hint


@dataclass(frozen=True)
class Analysis:
    """What one article yields on its own (cacheable by the article's content)."""

    article: Article
    mentions: tuple[Mention, ...]
    candidates: tuple[tuple[str, int], ...]  # (name, line)
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()


def load_corpus(content_dir: Path, merge_topics: dict | None = None, split_topics: dict | None = None) -> Corpus:
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise BriefingError([Diagnostic(str(content_dir), None, None, "content folder not found")])
    problems: list[Diagnostic] = []
    entities, found = load_gazetteer(content_dir)
    problems += found
    patterns, found = load_patterns(content_dir)
    problems += found
    docs, found = read_all(content_dir, patterns)
    problems += found
    if any(p.severity == "error" for p in problems):
        raise BriefingError(problems)
    entities = discover_entities(docs, entities)  # quoted people and organisations link like the gazetteer's
    linker = Linker(entities)
    analyses = [analyse(doc, linker) for doc in docs]
    return assemble(content_dir, analyses, linker, (merge_topics, split_topics), problems)


def read_all(content_dir: Path, patterns) -> tuple[list[SourceDoc], list[Diagnostic]]:
    paths, problems = discover(content_dir)
    docs: list[SourceDoc] = []
    for path in paths:
        doc, found = read_source(path, content_dir, patterns)
        problems += found
        if doc is not None:
            docs.append(doc)
    problems += _duplicate_ids(docs)
    return docs, problems


def _duplicate_ids(docs: list[SourceDoc]) -> list[Diagnostic]:
    seen: dict[str, SourceDoc] = {}
    problems = []
    for doc in docs:
        other = seen.setdefault(doc.id, doc)
        if other is not doc:
            problems.append(Diagnostic(doc.rel, None, None, f"article id '{doc.id}' is also the id of {other.rel}; rename one file"))
    return problems


def analyse(doc: SourceDoc, linker: Linker) -> Analysis:
    """Blocks, title, tables, sentences and mentions of one article."""
    blocks = split_blocks(list(doc.lines))
    if doc.meta.title:
        title, origin = doc.meta.title, "front-matter"
    else:
        title, origin, blocks = find_title(blocks)
        blocks = _renumber(blocks)
    context = "\n".join(b.text for b in blocks)
    tables = [parse_table(b, n) for n, b in enumerate(b for b in blocks if b.kind == "table")]
    tables = [classify(t, linker, context) for t in tables]
    rows = {t.block: [(t.line, " | ".join(t.header))] + [(n, " | ".join(r)) for n, r in zip(t.row_lines, t.rows)] for t in tables}
    sentences = sentences_of(blocks, rows)
    mentions, candidates = _link(doc.id, blocks, sentences, tables, linker, context)
    entity_ids = tuple(dict.fromkeys(m.entity for m in mentions))
    words = sum(len(s.text.split()) for s in sentences)
    language = doc.meta.language or detect_language(context)
    article = Article(doc.id, doc.rel, doc.meta, title, origin, language, tuple(blocks), tuple(sentences),
                      tuple(tables), doc.boilerplate, entity_ids, words)
    return Analysis(article, tuple(mentions), tuple(candidates),
                    tuple(find_quotes(article, mentions, linker.entities)),
                    tuple(find_figures(article, mentions, linker.entities)))


def _renumber(blocks: list[Block]) -> list[Block]:
    return [Block(i, b.kind, b.line, b.end_line, b.text, b.items, b.item_lines) for i, b in enumerate(blocks)]


def _link(article_id: str, blocks: list[Block], sentences: list[Sentence], tables: list[Table], linker: Linker, context: str):
    """Mentions of every sentence, and unlinked names from prose (not title-cased headings or tables)."""
    prose = {b.index for b in blocks if b.kind in ("paragraph", "list")}
    region_cells = {t.block: region_hint(t) for t in tables if t.row_entities}
    mentions, candidates = [], []
    for sentence in sentences:
        if sentence.block in region_cells:
            found = _link_row(sentence.text, linker, context, region_cells[sentence.block])
        else:
            found = linker.find(sentence.text, context)
        for m in found:
            mentions.append(Mention(m.entity, article_id, sentence.block, sentence.index, sentence.line,
                                    m.surface, m.start, m.end, m.form))
        if sentence.block in prose:
            candidates += [(name, sentence.line) for name in linker.candidates(sentence.text, found)]
    return mentions, candidates


def _link_row(text: str, linker: Linker, context: str, hint: bool):
    """A row of a region-keyed table: its first cell names a place (a region when ``hint``), the rest is prose."""
    first, sep, rest = text.partition(" | ")
    found = linker.find(first, context, region_hint=hint)
    offset = len(first) + len(sep)
    return found + [Match(m.entity, m.start + offset, m.end + offset, m.surface, m.form) for m in linker.find(rest, context)]


def assemble(content_dir: Path, analyses: list[Analysis], linker: Linker, topic_overrides, problems) -> Corpus:
    """Corpus-level linking: entities in use, matrices, unlinked candidates, conflicts, copies."""
    articles = sorted((a.article for a in analyses), key=lambda a: a.id)
    ordered = sorted(analyses, key=lambda a: a.article.id)
    mentions = tuple(m for a in ordered for m in a.mentions)
    figures = tuple(f for a in ordered for f in a.figures)
    syndicated = find_syndicated(articles)
    used = sorted({m.entity for m in mentions} | {a for art in articles for t in art.tables for _, a in t.column_actors})
    entities = tuple(linker.entities[e] for e in used)
    matrices = build_matrices(articles, linker.entities, *topic_overrides)
    candidates = _candidates(analyses)
    warnings = tuple(p for p in problems if p.severity == "warning")
    return Corpus(str(content_dir), tuple(articles), entities, mentions, tuple(matrices),
                  quotes=tuple(q for a in ordered for q in a.quotes), figures=figures,
                  conflicts=find_conflicts(figures, linker.entities, syndicated),
                  candidates=candidates, warnings=warnings, syndicated=syndicated)


def _candidates(analyses: list[Analysis]) -> tuple[Candidate, ...]:
    counts: Counter[str] = Counter()
    places: dict[str, list[tuple[str, int]]] = {}
    for analysis in analyses:
        for name, line in analysis.candidates:
            counts[name] += 1
            places.setdefault(name, []).append((analysis.article.source, line))
    return tuple(Candidate(name, counts[name], tuple(sorted(places[name])))
                 for name in sorted(counts, key=lambda n: (-counts[n], n)))
