"""Syndication: one story published under two sources (wire copy, republished articles).

Two articles are copies when most word 5-grams of the shorter one also occur in the other.
Candidate pairs come from an index of a deterministic sample of 5-grams, so the work grows
with the corpus, not with the square of it.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict

from .model import Article

SHINGLE = 5
SAMPLE = 4  # keep one 5-gram in SAMPLE (by hash) for finding candidate pairs
CONTAINMENT = 0.8  # share of the shorter article's 5-grams found in the longer one
MIN_SHINGLES = 20  # articles shorter than this are never called copies
MAX_SHARING = 20  # a 5-gram in more articles than this is stock phrasing, not copying
CANDIDATE_SHARE = 0.5  # sampled 5-grams shared, as a share of what a copy would share, to compare
_WORD = re.compile(r"\w+")


def shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.lower())
    return frozenset(zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1))


def find_syndicated(articles: list[Article] | tuple[Article, ...]) -> tuple[tuple[str, ...], ...]:
    """Groups of articles that are copies of one story, each led by its earliest dated article
    (the one that stands for the story), groups sorted."""
    sets = {a.id: shingles(" ".join(s.text for s in a.sentences)) for a in articles}
    sets = {k: v for k, v in sets.items() if len(v) >= MIN_SHINGLES}
    parent = {k: k for k in sets}
    for a, b in _candidate_pairs(sets):
        small, large = sorted((sets[a], sets[b]), key=len)
        if len(small & large) >= CONTAINMENT * len(small):
            parent[_root(parent, b)] = _root(parent, a)
    groups: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(parent):
        groups[_root(parent, article_id)].append(article_id)
    first = {a.id: (a.meta.date or "~", a.id) for a in articles}  # dated before undated
    return tuple(sorted(tuple(sorted(g, key=first.__getitem__)) for g in groups.values() if len(g) > 1))


def _candidate_pairs(sets: dict[str, frozenset[int]]) -> list[tuple[str, str]]:
    """Pairs sharing enough sampled 5-grams to be worth comparing whole. A 5-gram found in
    many articles (a publisher's stock phrase) says nothing about copying and is skipped."""
    index: dict[int, list[str]] = defaultdict(list)
    sampled: dict[str, int] = {}
    for article_id in sorted(sets):
        hashes = [h for h in sets[article_id] if h % SAMPLE == 0]
        sampled[article_id] = len(hashes)
        for h in hashes:
            index[h].append(article_id)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in index.values():
        if len(ids) <= MAX_SHARING:
            shared.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return sorted(pair for pair, n in shared.items()
                  if n >= CANDIDATE_SHARE * CONTAINMENT * min(sampled[pair[0]], sampled[pair[1]]))


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def canonical(syndicated: tuple[tuple[str, ...], ...]) -> dict[str, str]:
    """{article id: the first id of its group} for every syndicated copy."""
    return {member: group[0] for group in syndicated for member in group}


def source_count(article_ids, syndicated: tuple[tuple[str, ...], ...]) -> int:
    """How many independent sources the articles are: copies of one story count once."""
    first = canonical(syndicated)
    return len({first.get(a, a) for a in article_ids})
