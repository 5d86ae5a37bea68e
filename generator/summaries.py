"""Automatic summaries: a few of the most informative sentences about a thing, each cited.

Deterministic: candidates are scored by what they carry (other entities, numbers, quotes,
a readable length) and ties are broken by article id and position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Article, Corpus, Matrix, Mention, Sentence

MAX_SENTENCES = 3
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Cited:
    """A sentence shown in a summary and where it comes from."""

    text: str
    article: str
    block: int
    line: int


class SentenceIndex:
    """Sentences and the entities each names, looked up by article and sentence."""

    def __init__(self, corpus: Corpus):
        self.articles = {a.id: a for a in corpus.articles}
        # {(article id, sentence index): {entity id: None}}: each entity once, in mention order
        self.entities_in: dict[tuple[str, int], dict[str, None]] = {}
        for m in corpus.mentions:
            self.entities_in.setdefault((m.article, m.sentence), {})[m.entity] = None

    def sentence(self, article: str, index: int) -> Sentence:
        return self.articles[article].sentences[index]

    def is_prose(self, article: str, sentence: Sentence) -> bool:
        return self.articles[article].scores[sentence.index] is not None

    def score(self, article: str, sentence: Sentence) -> float:
        return self.articles[article].scores[sentence.index]


def sentence_scores(prose: set[int], sentences, mentions: list[Mention]) -> tuple[float | None, ...]:
    """Each sentence's worth as a summary sentence, None outside the ``prose`` blocks
    (``structure.prose_blocks``): what it carries (the entities it names, a number, a readable
    length), earlier the better."""
    named: dict[int, set[str]] = {}
    for m in mentions:
        named.setdefault(m.sentence, set()).add(m.entity)
    return tuple(_score(s, len(named.get(s.index, ()))) if s.block in prose else None for s in sentences)


def _score(sentence: Sentence, entities: int) -> float:
    words = len(sentence.text.split())
    length = 1.0 if 12 <= words <= 40 else 0.3 if words >= 8 else -2.0
    return entities + 1.5 * bool(_DIGIT.search(sentence.text)) + length - 0.02 * sentence.index


def entity_summary(entity_id: str, mentions: list[Mention], index: SentenceIndex) -> list[Cited]:
    """The best sentences naming the entity, preferring different articles. The page has noted
    an input covering the mentions' articles (``views.cover``), so they are read without noting
    each: at 10,000 articles, Russia's page reads 50,000 sentences' scores."""
    articles, lookup = index.articles, dict.__getitem__  # a Recorded dict's own reads note them
    seen, candidates = set(), []
    for m in mentions:
        key = (m.article, m.sentence)
        if key in seen:
            continue
        seen.add(key)
        article = lookup(articles, m.article)
        score = article.scores[m.sentence]
        if score is not None:
            candidates.append((-score, m.article, m.sentence, article.sentences[m.sentence]))
    return _pick(sorted(candidates))


def _pick(ranked: list) -> list[Cited]:
    chosen, used_articles = [], set()
    for pass_ in (0, 1):
        for _, article, _, sentence in ranked:
            if len(chosen) >= MAX_SENTENCES:
                break
            if (pass_ == 0 and article in used_articles) or any(c.text == sentence.text for c in chosen):
                continue
            chosen.append(Cited(sentence.text, article, sentence.block, sentence.line))
            used_articles.add(article)
    return chosen


def article_summary(article: Article) -> list[Cited]:
    """The lead: the first sentences of the first paragraphs."""
    prose = {b.index for b in article.blocks if b.kind == "paragraph"}
    out = []
    for sentence in article.sentences:
        if sentence.block in prose and len(sentence.text.split()) >= 6:
            out.append(Cited(sentence.text, article.id, sentence.block, sentence.line))
        if len(out) >= 2:
            break
    return out


def matrix_summary(matrix: Matrix, index: SentenceIndex) -> list[Cited]:
    """The sentence that introduces each source table in its article."""
    out = []
    for article_id, table_index in matrix.sources:
        article = index.articles[article_id]
        table = article.tables[table_index]
        before = [s for s in article.sentences if s.block < table.block and index.is_prose(article_id, s)]
        if before and all(c.text != before[-1].text for c in out):
            s = before[-1]
            out.append(Cited(s.text, article_id, s.block, s.line))
        if len(out) >= MAX_SENTENCES:
            break
    return out


def home_summary(corpus: Corpus, index: SentenceIndex) -> list[Cited]:
    """The most informative lead sentences across the corpus, one per article."""
    ranked = []
    for article in corpus.articles:
        for cited in article_summary(article)[:1]:
            sentence = index.sentence(article.id, _sentence_index(article, cited))
            ranked.append((-index.score(article.id, sentence), article.id, sentence.index, sentence))
    return _pick(sorted(ranked))


def _sentence_index(article: Article, cited: Cited) -> int:
    return next(s.index for s in article.sentences if s.block == cited.block and s.text == cited.text)
