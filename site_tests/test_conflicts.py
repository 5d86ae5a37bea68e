"""Conflicts between sources and syndicated copies (issue 4), on fixture texts of our own."""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.conflicts import find_conflicts
from generator.corpus import load_corpus
from generator.export import export_data
from generator.model import Corpus, Figure
from generator.syndication import (CANDIDATE_SHARE, CONTAINMENT, MAX_SHARING, Fingerprint, _candidate_pairs,
                                   find_syndicated, source_count)

from conftest import FIXTURES, build

EXTRACTION = FIXTURES / "extraction"


@pytest.fixture(scope="module")
def syndication() -> Corpus:
    return load_corpus(EXTRACTION / "syndication")


def claims(conflict) -> list[tuple[str, str, object]]:
    return [(f.article, f.text, f.value) for f in conflict.claims]


def test_two_outlets_disagree_on_troops_near_one_town(war):
    (conflict,) = war.conflicts
    assert (conflict.unit, conflict.actor, conflict.region) == ("troops", "azerbaijan", "lachin")
    assert claims(conflict) == [("karabakh-line", "about 12,000 troops", 12000),
                                ("karabakh-second-view", "up to 15,000 soldiers", 15000)]  # troops ~ soldiers
    assert "Azerbaijan" in conflict.topic and "Lachin" in conflict.topic


def test_claims_keep_wording_and_article_in_the_export(war):
    (exported,) = export_data(war)["conflicts"]
    assert {c["article"] for c in exported["claims"]} == {"karabakh-line", "karabakh-second-view"}
    assert {c["text"] for c in exported["claims"]} == {"about 12,000 troops", "up to 15,000 soldiers"}


def test_copies_of_one_story_are_recognised(syndication):
    assert syndication.syndicated == (("wire-original", "republished-copy"),)  # the dated article leads
    assert export_data(syndication)["syndicated"] == [["wire-original", "republished-copy"]]
    assert source_count(["wire-original", "republished-copy", "second-outlet"], syndication.syndicated) == 2


def test_a_copy_does_not_count_as_a_second_source(syndication):
    (conflict,) = syndication.conflicts
    assert conflict.actor == "russia" and conflict.region == "bryansk-oblast"
    assert claims(conflict) == [("second-outlet", "34 drones", 34), ("wire-original", "28 drones", 28)]


def test_copies_alone_never_conflict(syndication):
    alone = [f for f in syndication.figures if f.article != "second-outlet"]
    assert find_conflicts(alone, {}, syndication.syndicated) == ()


def test_different_stories_are_not_copies(war):
    assert war.syndicated == ()
    assert find_syndicated(war.articles) == ()


def _figure(article: str, text: str, value, unit: str, **kw) -> Figure:
    return Figure(article, 0, 0, 1, text, value, unit, **kw)


def test_what_never_conflicts(war):
    entities = {e.id: e for e in war.entities}
    pairs = [
        # durations
        (_figure("a", "six months", 6, "months", actor="russia"), _figure("b", "two months", 2, "months", actor="russia")),
        # vague magnitudes
        (_figure("a", "thousands of troops", None, "troops", actor="russia"), _figure("b", "5,000 troops", 5000, "troops", actor="russia")),
        # other actors, other regions
        (_figure("a", "5,000 troops", 5000, "troops", actor="armenia"), _figure("b", "6,000 troops", 6000, "troops", actor="azerbaijan")),
        (_figure("a", "5,000 troops", 5000, "troops", actor="armenia", region="syunik"),
         _figure("b", "6,000 troops", 6000, "troops", actor="armenia", region="lachin")),
        # a daily rate against a total, losses against strength
        (_figure("a", "1,000 troops", 1000, "troops", actor="russia", per="day"), _figure("b", "9,000 troops", 9000, "troops", actor="russia")),
        (_figure("a", "9,000 troops", 9000, "troops", actor="russia", region="lachin", measure="losses"),
         _figure("b", "7,000 troops", 7000, "troops", actor="russia", region="lachin")),
        # losses with no region: cumulative counts of different spans
        (_figure("a", "700,000", 700000, "troops", actor="russia", measure="losses"),
         _figure("b", "40,000", 40000, "troops", actor="russia", measure="losses")),
        # a share or an amount of nothing named
        (_figure("a", "half", 50, "percent", actor="russia"), _figure("b", "a third", 33.3, "percent", actor="russia")),
        # one article disagreeing with itself is not a conflict between sources
        (_figure("a", "5,000 troops", 5000, "troops", actor="russia"), _figure("a", "6,000 troops", 6000, "troops", actor="russia")),
    ]
    for first, second in pairs:
        assert find_conflicts([first, second], entities) == (), (first.text, second.text)


def test_a_city_counts_as_its_oblast(tmp_path):
    corpus = build(tmp_path, {
        "a.md": "Russia has sent some 45,000 troops to Kursk, officials said.\n",
        "b.md": "Russia has moved around 60,000 soldiers into the Kursk region.\n",
    })
    (conflict,) = corpus.conflicts
    assert conflict.region == "kursk-oblast" and {f.region for f in conflict.claims} == {"kursk", "kursk-oblast"}


def test_amounts_conflict_only_when_they_are_of_the_same_thing(tmp_path):
    corpus = build(tmp_path, {
        "a.md": "The United States approved an aid package worth nearly $300 million on Monday.\n",
        "b.md": "The latest US package is worth roughly $275 million and follows a $425 million drawdown.\n",
    })
    (conflict,) = corpus.conflicts
    assert sorted(f.value for f in conflict.claims) == [275000000, 300000000]


def test_conflicts_are_sorted_and_deterministic(war, syndication):
    assert load_corpus(EXTRACTION / "war").conflicts == war.conflicts
    for corpus in (war, syndication):
        assert list(corpus.conflicts) == sorted(corpus.conflicts, key=lambda c: (c.topic, c.claims[0].article))


# --- candidate pairs for copies: what the index finds is what the definition says -------------

def _pairs_by_definition(prints: dict[str, Fingerprint]) -> list[tuple[str, str]]:
    """Every pair, compared directly: the sampled 5-grams both hold, leaving out those held by one
    article or by more than MAX_SHARING, against a share of either one's sample."""
    holders = Counter(h for p in prints.values() for h in set(p.sample))
    pairs = []
    for a, b in combinations(sorted(prints), 2):
        shared = [h for h in set(prints[a].sample) & set(prints[b].sample) if holders[h] <= MAX_SHARING]
        needed = [CANDIDATE_SHARE * CONTAINMENT * len(prints[x].sample) for x in (a, b)]
        if shared and len(shared) >= min(needed):
            pairs.append((a, b))
    return pairs


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([f"a{n:02d}" for n in range(30)]),
                       st.sets(st.integers(0, 40), max_size=12), min_size=2))
def test_candidate_pairs_are_the_pairs_the_definition_gives(samples):
    # Few distinct 5-grams among up to 30 articles: many are shared, some by more than MAX_SHARING.
    prints = {k: Fingerprint(100, tuple(sorted(v))) for k, v in samples.items()}
    assert _candidate_pairs(prints) == _pairs_by_definition(prints)


def test_a_five_gram_in_too_many_articles_makes_no_pair():
    common = {f"a{n:02d}": Fingerprint(100, (7,)) for n in range(MAX_SHARING + 1)}
    assert _candidate_pairs(common) == []
    del common["a00"]
    assert len(_candidate_pairs(common)) == MAX_SHARING * (MAX_SHARING - 1) // 2
