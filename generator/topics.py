"""Topics: decide which matrix rows from different tables speak of one topic.

Two signals, both explainable on the page: the labels reduce to the same concepts
(generator/data/topics.yaml: "Territorial Integrity" ~ "Ukraine's Sovereignty", "NATO Expansion"
~ "NATO enlargement"), or, failing that, the rows' labels and cells share most of their
informative words.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .yamlio import load_shipped

STOPWORDS = frozenset("""
a an the of and or to in on for with by from at as its it is are be was were that this these those
their his her our into over about against near not no than more most very full strong strongly key
issue issues topic question position view stance s terms conditions status framework future
""".split())
CONTENT_THRESHOLD = 0.5


@lru_cache(maxsize=1)
def concept_table() -> tuple[tuple[str, str], ...]:
    """(phrase, concept) pairs, longest phrase first."""
    groups = load_shipped("topics.yaml")
    pairs = [(phrase, group[0]) for group in groups for phrase in group]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def words(text: str) -> list[str]:
    text = text.replace("’", "'").lower()
    text = re.sub(r"'s\b", "", text)
    return [w for w in re.findall(r"[^\W\d_]+", text) if w not in STOPWORDS]


def concepts(label: str, entity_words: frozenset[str]) -> frozenset[str]:
    text = " " + " ".join(w for w in words(label) if w not in entity_words) + " "
    found = set()
    for phrase, concept in concept_table():
        if f" {phrase} " in text:
            found.add(concept)
            text = text.replace(f" {phrase} ", " ")
    found |= {w for w in text.split()}
    return frozenset(found)


def similar_rows(labels: list[list[str]], texts: list[str],
                 entity_words: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Pairs (i, j, reason) with i < j of rows that are one topic, best first."""
    keys = [frozenset().union(*(concepts(label, entity_words) for label in group)) for group in labels]
    pairs = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            if keys[i] and keys[i] == keys[j]:
                pairs.append((2.0, i, j, f"labels name one topic ({', '.join(sorted(keys[i]))})"))
    scores = _content_scores(texts)
    for (i, j), score in scores.items():
        if score >= CONTENT_THRESHOLD and not any(p[1] == i and p[2] == j for p in pairs):
            pairs.append((score, i, j, f"rows share most of their wording (similarity {score:.2f})"))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [(i, j, reason) for _, i, j, reason in pairs]


def _content_scores(texts: list[str]) -> dict[tuple[int, int], float]:
    bags = [set(words(t)) for t in texts]
    df: dict[str, int] = {}
    for bag in bags:
        for w in bag:
            df[w] = df.get(w, 0) + 1
    n = len(bags)
    weight = {w: math.log((n + 1) / c) for w, c in df.items()}
    scores = {}
    for i in range(n):
        for j in range(i + 1, n):
            shared = sum(weight[w] for w in bags[i] & bags[j])
            norm = math.sqrt(sum(weight[w] for w in bags[i]) * sum(weight[w] for w in bags[j])) or 1.0
            scores[(i, j)] = shared / norm
    return scores
