"""Figures (issue 4): numeric claims, their values, units, hedges, and what they are about.

Sentences are our own; corpus-level checks use site_tests/fixtures/extraction/.
"""
from __future__ import annotations

import pytest

from generator.corpus import load_corpus
from generator.figures import sentence_figures
from generator.model import Corpus, Figure

from conftest import FIXTURES

EXTRACTION = FIXTURES / "extraction"


def claims(text: str, language: str = "en") -> list[tuple[str, object, str, str | None]]:
    return [(text[c.start:c.end], c.value, c.unit, c.qualifier) for c in sentence_figures(text, language)]


@pytest.mark.parametrize("text, expected", [
    ("The army moved some 45,000 troops to the border.", [("some 45,000 troops", 45000, "troops", "some")]),
    ("Officials counted 16,100 dead.", [("16,100 dead", 16100, "dead", None)]),
    ("A package worth nearly $300 million was approved.", [("nearly $300 million", 300000000, "USD", "nearly")]),
    ("It costs £239 million a year.", [("£239 million", 239000000, "GBP", None)]),
    ("Brussels pledged €1.5 billion.", [("€1.5 billion", 1500000000, "EUR", None)]),
    ("Units advanced up to five kilometers.", [("up to five kilometers", 5, "km", "up to")]),
    ("The line is 12 km long.", [("12 km", 12, "km", None)]),
    ("Ten thousand North Korean troops arrived.", [("Ten thousand North Korean troops", 10000, "troops", None)]),
    ("They retook half of the town.", [("half", 50, "percent", None)]),
    ("They lost more than half of it.", [("more than half", 50, "percent", "more than")]),
    ("Tariffs rose to 25% and then 30 per cent.", [("25%", 25, "percent", None), ("30 per cent", 30, "percent", None)]),
    ("Russia deployed tens of thousands of troops.", [("tens of thousands of troops", None, "troops", None)]),
    ("It had stockpiled hundreds of cruise and ballistic missiles.", [("hundreds of cruise and ballistic missiles", None, "missiles", None)]),
    ("Over 1,000 men are lost every day.", [("Over 1,000 men", 1000, "men", "over")]),
    ("An estimated 700,000 combatants have fallen.", [("An estimated 700,000 combatants", 700000, "combatants", "an estimated")]),
    ("Two large oil producers were named.", [("Two large oil producers", 2, "producers", None)]),
    ("Fewer than a hundred civilians remain.", [("Fewer than a hundred civilians", 100, "civilians", "fewer than")]),
    ("Half a million people fled.", [("Half a million people", 500000, "people", None)]),
    ("Around 3,000 people stay out of a pre-war population of nearly 27,000.",
     [("Around 3,000 people", 3000, "people", "around"), ("nearly 27,000", 27000, "people", "nearly")]),
])
def test_value_unit_and_hedge(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The talks lasted six months.", [("six months", 6, "months", None)]),
    ("A 30-day truce was proposed.", [("30-day", 30, "days", None)]),
    ("After almost three years of war.", [("almost three years", 3, "years", "almost")]),
    ("The countdown narrows to just two months.", [("just two months", 2, "months", "just")]),
])
def test_durations_have_time_units(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize("text", [
    "It was the first strike of its kind and the second in a week.",
    "Several villages and numerous towns were hit.",
    "The war began in 2022 and the truce held until 2014.",
    "On 10 January and on January 20 the talks resumed.",
    "F-16 jets and Su-34 bombers flew over; the 1990s were calmer.",
    "Article 5 was not invoked; Resolution 2202 still stands.",
    "One of the towns fell; one another; a day later.",
    "The 47th brigade held the 3rd line.",
    "The first half of 2024 was quiet.",
    "The half-hearted reply came at 10:30.",
])
def test_ordinals_dates_labels_and_vague_words_are_not_claims(text):
    assert claims(text) == []


def test_rates_are_recorded():
    (claim,) = sentence_figures("Russia is losing 1,000 troops daily in the south.")
    assert claim.per == "day"
    (claim,) = sentence_figures("The kitchen feeds about sixty people a day.")
    assert claim.per == "day" and claim.value == 60


def test_thousands_separators_of_other_languages():
    assert claims("Russland hat 45.000 Soldaten verlegt.", "de") == [("45.000 Soldaten", 45000, "soldaten", None)]
    assert claims("It weighs 1.5 tonnes.") == [("1.5 tonnes", 1.5, "tonnes", None)]


# --- what a figure is about --------------------------------------------------------------------

@pytest.fixture(scope="module")
def war() -> Corpus:
    return load_corpus(EXTRACTION / "war")


def figure(corpus: Corpus, text: str) -> Figure:
    found = [f for f in corpus.figures if f.text == text]
    assert len(found) == 1, (text, [f.text for f in corpus.figures])
    return found[0]


def test_actor_and_region_of_the_sentence(war):
    troops = figure(war, "about 12,000 troops")
    assert (troops.actor, troops.region, troops.qualifier) == ("azerbaijan", "lachin", "about")
    assert (figure(war, "nearly 8,000 soldiers").actor, figure(war, "nearly 8,000 soldiers").region) == ("armenia", "syunik")
    assert figure(war, "up to 15,000 soldiers").actor == "azerbaijan"  # "Azerbaijani forces have brought …"


def test_the_nouns_own_demonym_is_the_actor(tmp_path):
    from conftest import build
    corpus = build(tmp_path, {"a.md": "Russia said on Monday that 2,000 North Korean soldiers had reached Kursk.\n"})
    (f,) = corpus.figures
    assert (f.actor, f.region) == ("north-korea", "kursk")


def test_losses_and_captures_are_told_apart(tmp_path):
    from conftest import build
    corpus = build(tmp_path, {"a.md": (
        "The General Staff said Russia had lost 40,000 soldiers in Kursk.\n\n"
        "Ukraine captured 900 Russian soldiers near Sudzha.\n\n"
        "Russia keeps 50,000 troops in Kursk.\n")})
    measures = {f.text: f.measure for f in corpus.figures}
    assert measures == {"40,000 soldiers": "losses", "900 Russian soldiers": "captured", "50,000 troops": None}


def test_years_and_ordinals_in_the_corpus_are_not_figures(war):
    texts = [f.text for f in war.figures]
    assert not any("2020" in t or "first" in t for t in texts)
    assert "44 days" in texts and figure(war, "almost three decades").unit == "decades"


def test_figures_are_sorted_and_deterministic(war):
    assert load_corpus(EXTRACTION / "war").figures == war.figures
    keys = [(f.article, f.sentence) for f in war.figures]
    assert keys == sorted(keys)
