"""The build of the model: read every file, check it, analyse every article, link the corpus.

``load_corpus`` is the one entry point: it returns a frozen Corpus or raises a BriefingError
carrying every problem found (warnings included, so the CLI can show them all together).

Reading and analysing an article depend on that article alone (given the entities and the
boilerplate patterns), so they run on worker processes and their results are cached by the
article's content (``generator/cache.py``); ``settings`` turns both on for a run. The result is
the same whether an article was analysed here, by a worker or read back from the cache.
"""
from __future__ import annotations

import gc
import hashlib
import pickle
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import parallel
from .cache import Cache, key
from .conflicts import find_conflicts
from .discovery import DocScan, Known, merge_scans, scan_doc
from .errors import BriefingError, Diagnostic
from .figures import find_figures
from .gazetteer import load_gazetteer
from .language import detect_language
from .linking import Linker, Match
from .matrices import build_matrices
from .model import Article, Block, Candidate, Corpus, Figure, Mention, Quote, Sentence, Table
from .progress import Progress
from .quotes import find_quotes
from .reading import MAX_ARTICLE_BYTES, SourceDoc, discover, load_patterns, read_source
from .structure import find_title, prose_blocks, sentences_of, split_blocks
from .summaries import sentence_scores
from .syndication import Fingerprint, find_syndicated, fingerprint
from .tables import classify, parse_table, region_hint


@dataclass(frozen=True)
class Analysis:
    """What one article yields on its own (cacheable by the article's content)."""

    article: Article
    mentions: tuple[Mention, ...]
    candidates: tuple[tuple[str, int], ...]  # (name, line)
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    copies: Fingerprint | None = None  # for finding syndicated copies (made with the analysis)


@dataclass
class Settings:
    """How ``load_corpus`` runs: with a cache, on worker processes, with a progress bar."""

    cache: Cache | None = None
    jobs: int = 1
    progress: bool | None = False  # None: when standard error is a terminal
    stats: dict = field(default_factory=dict)  # filled by the run: timings, words, cache use
    article_keys: dict = field(default_factory=dict)  # filled by the run (with a cache): article id -> analysis key


_SETTINGS = Settings()


@contextmanager
def settings(**changes):
    """Run the ``load_corpus`` calls inside the block with these settings (see ``Settings``)."""
    global _SETTINGS
    saved = _SETTINGS
    changes.setdefault("stats", {})
    changes.setdefault("article_keys", {})
    _SETTINGS = replace(saved, **changes)
    try:
        yield _SETTINGS
    finally:
        _SETTINGS = saved


@contextmanager
def no_gc():
    """Building the model makes millions of objects and no cycles: the cycle collector would
    only walk them again and again. Left on, every object made in the block would be in the
    collector's youngest generation, and its first collection after the block would walk them
    all (0.96 s after a regenerate at 10,000 articles): they are moved to the oldest one first
    (``freeze`` then ``unfreeze``, which moves lists, not objects), walked only by a full
    collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def load_corpus(content_dir: Path, merge_topics: dict | None = None, split_topics: dict | None = None) -> Corpus:
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise BriefingError([Diagnostic(str(content_dir), None, None, "content folder not found")])
    run = _SETTINGS
    started = time.perf_counter()
    with no_gc():
        problems: list[Diagnostic] = []
        entities, found = _gazetteer(content_dir, run.cache)
        problems += found
        patterns, found = load_patterns(content_dir)
        problems += found
        known = Known.of(entities)
        sources, source_keys, scans, found = _read_scan_all(content_dir, patterns, known, run)
        problems += found
        if any(p.severity == "error" for p in problems):
            raise BriefingError(problems)
        entities = merge_scans(scans, entities, known)  # quoted people and organisations link like the gazetteer's
        del scans  # every article's words: large, and needed no more
        linker = Linker(entities)
        read = time.perf_counter()
        analyses = _analyse_all(sources, source_keys, linker, run, content_dir, patterns)
        del sources  # the articles as read: the analyses hold what the corpus needs
        analysed = time.perf_counter()
        corpus = assemble(content_dir, analyses, linker, (merge_topics, split_topics), problems)
    done = time.perf_counter()
    run.stats.update(articles=len(corpus.articles), words=sum(a.words for a in corpus.articles),
                     read_s=read - started, analyse_s=analysed - read, assemble_s=done - analysed,
                     extract_s=done - started)
    if run.cache is not None:
        run.stats.update(cache_hits=run.cache.hits, cache_misses=run.cache.misses)
    return corpus


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


# --- the cached, parallel stages ---------------------------------------------------------------

def _fingerprint(value) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _gazetteer(content_dir: Path, cache: Cache | None):
    """``load_gazetteer``, cached by the editor's entities.yaml (the shipped one is code)."""
    if cache is None:
        return load_gazetteer(content_dir)
    extra = content_dir / "entities.yaml"
    try:
        state = (extra.is_symlink(), str(extra.resolve()), extra.read_bytes() if extra.is_file() else None)
    except OSError:
        return load_gazetteer(content_dir)
    entry = key("gazetteer", str(content_dir.resolve()), *map(repr, state))
    found = cache.get("gazetteer", entry)
    if found is None:
        found = load_gazetteer(content_dir)
        cache.put("gazetteer", entry, found)
    return found


@dataclass(frozen=True)
class _Read:
    """One article file read and scanned for discovery. The cache keeps it without ``doc`` (the
    article's lines): a run whose analysis of the article is cached never needs them, and one
    whose analysis is not reads the file again."""

    source: "_Source | None"  # None when the file could not be used
    problems: tuple[Diagnostic, ...]
    scan: DocScan | None


@dataclass(frozen=True)
class _Source:
    """An article file that was read: its id and place, and its lines when at hand."""

    id: str
    rel: str
    path: Path
    digest: str  # of the file's bytes, as read
    doc: SourceDoc | None = None


_JOB: dict = {}  # what the worker processes need, set before they are forked


def _read_scan_all(content_dir: Path, patterns, known: Known, run: Settings):
    paths, problems = discover(content_dir)
    context = key("read", _fingerprint([(p.regex.pattern, p.regex.flags, p.description) for p in patterns]),
                  _fingerprint(sorted(known.names)))
    entries = [_read_key(path, context) if run.cache is not None else None for path in paths]
    results: list[_Read | None] = [run.cache.get("read", e) if e is not None else None for e in entries]
    todo = [i for i, r in enumerate(results) if r is None]
    _JOB.update(paths=paths, entries=entries, content_dir=content_dir, patterns=patterns, known=known, cache=run.cache)
    try:
        with Progress("reading", len(todo), run.progress) as bar:
            for i, result in zip(todo, parallel.pmap(_read_scan_one, todo, bar.advance, run.jobs)):
                results[i] = result
    finally:
        _JOB.clear()
    sources, source_keys, scans = [], [], []
    for result, entry in zip(results, entries):
        problems += result.problems
        if result.source is not None:
            sources.append(result.source)
            source_keys.append(entry)
            scans.append(result.scan)
    problems += _duplicate_ids(sources)
    return sources, source_keys, scans, problems


def _read_key(path: Path, context: str) -> str | None:
    """The cache key of reading one file: its bytes, its path and the reading context."""
    try:
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            return None  # refused by reading anyway; never hashed
        return key(context, str(path), path.suffix, hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return None


def _read_scan_one(i: int) -> _Read:
    job = _JOB
    doc, found = read_source(job["paths"][i], job["content_dir"], job["patterns"])
    if doc is None:
        result = _Read(None, tuple(found), None)
    else:
        result = _Read(_Source(doc.id, doc.rel, doc.path, doc.digest, doc), tuple(found), scan_doc(doc, job["known"]))
    if job["cache"] is not None and job["entries"][i] is not None:
        stored = replace(result, source=replace(result.source, doc=None)) if result.source else result
        job["cache"].put("read", job["entries"][i], stored)
    return result


def _analyse_all(sources: list[_Source], source_keys: list[str | None], linker: Linker, run: Settings,
                 content_dir: Path, patterns) -> list[Analysis]:
    context = key("analysis", _fingerprint(list(linker.entities.items())))  # in order: the first owner of an alias wins
    entries = [key(context, k or _fingerprint(s.doc)) for s, k in zip(sources, source_keys)] if run.cache is not None else []
    results: list[Analysis | None] = [run.cache.get("analysis", e) for e in entries] if run.cache is not None else [None] * len(sources)
    todo = [i for i, r in enumerate(results) if r is None]
    run.article_keys.update(zip((s.id for s in sources), entries))  # what each article's page shows comes from
    _JOB.update(sources=sources, linker=linker, entries=entries, cache=run.cache, content_dir=content_dir, patterns=patterns)
    try:
        with Progress("analysing", len(todo), run.progress) as bar:
            for i, data in zip(todo, parallel.pmap(_analyse_one, todo, bar.advance, run.jobs)):
                results[i] = pickle.loads(data)
    finally:
        _JOB.clear()
    return results


def _analyse_one(i: int) -> bytes:
    job = _JOB
    source = job["sources"][i]
    doc = source.doc or _reread(source, job)
    analysis = analyse(doc, job["linker"])
    analysis = replace(analysis, copies=fingerprint(analysis.article))
    if job["cache"] is not None:
        return job["cache"].put("analysis", job["entries"][i], analysis)
    return pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL)


def _reread(source: _Source, job: dict) -> SourceDoc:
    """The lines of an article whose reading came from the cache (same bytes, so same result)."""
    doc, _ = read_source(source.path, job["content_dir"], job["patterns"])
    if doc is None or doc.digest != source.digest:  # changed or gone since it was hashed a moment ago
        raise BriefingError([Diagnostic(source.rel, None, None, "file changed while it was read; run again")])
    return doc


def _duplicate_ids(docs) -> list[Diagnostic]:
    seen: dict = {}
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
    prose = prose_blocks(blocks)
    mentions, candidates = _link(doc.id, prose, sentences, tables, linker, context)
    entity_ids = tuple(dict.fromkeys(m.entity for m in mentions))
    words = sum(len(s.text.split()) for s in sentences)
    language = doc.meta.language or detect_language(context)
    article = Article(doc.id, doc.rel, doc.meta, title, origin, language, tuple(blocks), tuple(sentences),
                      tuple(tables), doc.boilerplate, entity_ids, words, sentence_scores(prose, sentences, mentions))
    return Analysis(article, tuple(mentions), tuple(candidates),
                    tuple(find_quotes(article, mentions, linker.entities)),
                    tuple(find_figures(article, mentions, linker.entities)))


def _renumber(blocks: list[Block]) -> list[Block]:
    return [Block(i, b.kind, b.line, b.end_line, b.text, b.items, b.item_lines) for i, b in enumerate(blocks)]


def _link(article_id: str, prose: set[int], sentences: list[Sentence], tables: list[Table], linker: Linker, context: str):
    """Mentions of every sentence, and unlinked names from the ``prose`` blocks (not title-cased
    headings or tables)."""
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
    syndicated = find_syndicated(articles, {a.article.id: a.copies for a in analyses if a.copies is not None})
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
