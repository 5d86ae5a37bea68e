"""Words per second of the whole extraction (load_corpus: reading, structure, discovery,
linking, quotes, figures, matrices, conflicts, syndication) on a content folder.

    python3 benchmarks/extraction_speed.py [CONTENT_DIR] [--repeat 5] [--stages] [--articles]

With --stages it also times the issue-4 stages on their own, on the corpus already built.
With --articles it also times the per-article work (what the worker processes do) in this
process: reading, the discovery scan and ``analyse``, in processor time (steadier than wall
time on a shared machine).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from generator.conflicts import find_conflicts
from generator.corpus import analyse, load_corpus, read_all
from generator.discovery import Known, discover_entities, merge_scans, scan_doc
from generator.figures import find_figures
from generator.gazetteer import load_gazetteer
from generator.linking import Linker
from generator.quotes import find_quotes
from generator.reading import discover, load_patterns, read_source
from generator.syndication import find_syndicated


def best_of(repeat: int, job, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        job()
        times.append(clock() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("content", nargs="?", default="content", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--articles", action="store_true")
    args = parser.parse_args()
    corpus = load_corpus(args.content)
    words = sum(a.words for a in corpus.articles)
    seconds = best_of(args.repeat, lambda: load_corpus(args.content))
    print(f"{len(corpus.articles)} articles, {words:,} words: {seconds * 1000:.0f} ms, {words / seconds:,.0f} words/s")
    if args.stages:
        stages(args.content, corpus, words, args.repeat)
    if args.articles:
        per_article(args.content, words, args.repeat)


def per_article(content: Path, words: int, repeat: int) -> None:
    """Reading, scanning and analysing every article in this process (processor time)."""
    entities, _ = load_gazetteer(content)
    patterns, _ = load_patterns(content)
    known = Known.of(entities)
    paths, _ = discover(content)
    docs = [doc for doc, _ in (read_source(path, content, patterns) for path in paths) if doc is not None]
    scans = [scan_doc(doc, known) for doc in docs]
    linker = Linker(merge_scans(scans, entities, known))
    jobs = {
        "read": lambda: [read_source(path, content, patterns) for path in paths],
        "scan": lambda: [scan_doc(doc, known) for doc in docs],
        "analyse": lambda: [analyse(doc, linker) for doc in docs],
    }
    total = 0.0
    for name, job in jobs.items():
        seconds = best_of(repeat, job, time.process_time)
        total += seconds
        print(f"  {name:12s} {seconds * 1000:8.1f} ms  {words / seconds:12,.0f} words/s")
    print(f"  {'per article':12s} {total * 1000:8.1f} ms  {words / total:12,.0f} words/s")


def stages(content: Path, corpus, words: int, repeat: int) -> None:
    entities, _ = load_gazetteer(content)
    docs, _ = read_all(content, load_patterns(content)[0])
    known = {e.id: e for e in discover_entities(docs, entities)}
    by_article = {a.id: [m for m in corpus.mentions if m.article == a.id] for a in corpus.articles}
    jobs = {
        "discovery": lambda: discover_entities(docs, entities),
        "quotes": lambda: [find_quotes(a, by_article[a.id], known) for a in corpus.articles],
        "figures": lambda: [find_figures(a, by_article[a.id], known) for a in corpus.articles],
        "conflicts": lambda: find_conflicts(corpus.figures, known, corpus.syndicated),
        "syndication": lambda: find_syndicated(corpus.articles),
    }
    for name, job in jobs.items():
        seconds = best_of(repeat, job)
        print(f"  {name:12s} {seconds * 1000:8.1f} ms  {words / seconds:12,.0f} words/s")


if __name__ == "__main__":
    main()
