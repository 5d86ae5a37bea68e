"""Automatic summaries: each sentence is scored once, with its article's analysis, and an
entity's summary picks the best-scored sentences naming it, preferring different articles."""
from __future__ import annotations

from conftest import build, only_article
from generator.summaries import SentenceIndex, entity_summary

ARTICLE = """Shelling near Kharkiv

Kharkiv was quiet on Monday.
Russian forces fired 40 rockets at Kharkiv and Sumy overnight, regional officials in Ukraine said on Tuesday morning.

| Region | Status |
| --- | --- |
| Kharkiv | shelled |
"""

OTHER = """Sumy after the strikes

Residents of Kharkiv and Sumy counted 12 damaged houses after the night's strikes, local officials in Ukraine said on Wednesday.
"""


def test_sentences_are_scored_with_the_analysis_and_not_outside_prose(tmp_path):
    article = only_article(build(tmp_path, {"shelling.txt": ARTICLE}))
    assert len(article.scores) == len(article.sentences)
    by_text = {s.text: score for s, score in zip(article.sentences, article.scores)}
    assert by_text["Kharkiv was quiet on Monday."] is not None
    rich = next(t for t in by_text if t.startswith("Russian forces"))
    assert by_text[rich] > by_text["Kharkiv was quiet on Monday."]  # more entities, a number, a readable length
    prose = {b.index for b in article.blocks if b.kind in ("paragraph", "list")}
    outside = [score for s, score in zip(article.sentences, article.scores) if s.block not in prose]
    assert outside and all(score is None for score in outside)  # the table's rows are never summary sentences


def test_entity_summary_takes_the_best_sentence_of_each_article_first(tmp_path):
    corpus = build(tmp_path, {"shelling.txt": ARTICLE, "sumy.txt": OTHER})
    kharkiv = [m for m in corpus.mentions if m.entity == "kharkiv"]
    chosen = entity_summary("kharkiv", kharkiv, SentenceIndex(corpus))
    assert [c.article for c in chosen] == ["shelling", "sumy", "shelling"]
    assert chosen[0].text.startswith("Russian forces")
    assert chosen[2].text == "Kharkiv was quiet on Monday."
