"""Linking: finding the gazetteer's regions and actors in text."""
from __future__ import annotations

import pytest

from conftest import build, linked, mentions_of, only_article

# --- case and whole words --------------------------------------------------------------


def test_whole_word_only(linker):
    assert linked(linker, "Kyivstar and Kharkivska are not in Kyiv.") == [("Kyiv", "kyiv")]


def test_actor_names_are_case_aware(linker):
    assert linked(linker, "He played his trump card.") == []
    assert linked(linker, "Trump played his card.") == [("Trump", "donald-trump")]


def test_upper_case_headings_match(linker):
    assert linked(linker, "TRUMP AND KURSK") == [("TRUMP", "donald-trump"), ("KURSK", "kursk")]


def test_lower_case_region_names_match(linker):
    """Scraped text loses capitals; region names of four letters or more still link."""
    assert linked(linker, "fighting near toretsk and kursk") == [("toretsk", "toretsk"), ("kursk", "kursk")]


@pytest.mark.parametrize("text", ["Tell us more.", "Let us talk.", "They told us so."])
def test_us_pronoun_is_not_the_united_states(linker, text):
    assert linked(linker, text) == []


@pytest.mark.parametrize("surface", ["US", "U.S.", "United States", "USA"])
def test_united_states_forms(linker, surface):
    assert linked(linker, f"The {surface} said so.") == [(surface, "united-states")]


# --- possessives and hyphens -----------------------------------------------------------

@pytest.mark.parametrize("text, surface, entity", [
    ("Trump\u2019s envoy", "Trump", "donald-trump"),
    ("Trump's envoy", "Trump", "donald-trump"),
    ("Russia s position", "Russia", "russia"),
    ("Ukraine\u2019s army", "Ukraine", "ukraine"),
    ("the Kursk region\u2019s border", "Kursk region", "kursk-oblast"),
], ids=["curly", "straight", "broken", "country", "multiword"])
def test_possessives(linker, text, surface, entity):
    assert linked(linker, text) == [(surface, entity)]


@pytest.mark.parametrize("surface", ["kursk-region", "Kursk-Region", "Kursk region"])
def test_hyphenated_region(linker, surface):
    assert linked(linker, f"Troops in the {surface} dug in.") == [(surface, "kursk-oblast")]


def test_offsets_point_into_the_original_text(linker):
    text = "In the kursk-region, Trump\u2019s envoy met Selenskyj."
    for match in linker.find(text, text):
        assert text[match.start:match.end] == match.surface


# --- variant spellings -----------------------------------------------------------------

@pytest.mark.parametrize("surface, entity", [
    ("Selenskyj", "volodymyr-zelensky"),
    ("Zelenskyy", "volodymyr-zelensky"),
    ("Zelenskiy", "volodymyr-zelensky"),
    ("Wolodymyr Selenskyj", "volodymyr-zelensky"),
    ("Kiev", "kyiv"),
    ("Kiew", "kyiv"),
    ("Cherson", "kherson"),
    ("Cursk", "kursk"),
    ("Kupjansk", "kupiansk"),
    ("Kupyansk", "kupiansk"),
    ("Pokrowsk", "pokrovsk"),
    ("Sudscha", "sudzha"),
])
def test_variant_spellings(linker, surface, entity):
    assert linked(linker, f"Shelling was reported near {surface} again.") == [(surface, entity)]


# --- ambiguity -------------------------------------------------------------------------

def test_donetsk_region_vs_city(linker):
    assert linked(linker, "Fighting in the Donetsk region grew.") == [("Donetsk region", "donetsk-oblast")]
    assert linked(linker, "Fighting in Donetsk oblast grew.") == [("Donetsk oblast", "donetsk-oblast")]
    assert linked(linker, "Shells hit the city of Donetsk.") == [("Donetsk", "donetsk")]
    assert linked(linker, "Donetsk and Luhansk regions") == [
        ("Donetsk", "donetsk-oblast"), ("Luhansk", "luhansk-oblast")]


def test_four_annexed_regions_are_oblasts(linker):
    assert linked(linker, "Moscow claims the Donetsk, Luhansk, Zaporizhzhia and Kherson regions.") == [
        ("Moscow", "russia"), ("Donetsk", "donetsk-oblast"), ("Luhansk", "luhansk-oblast"),
        ("Zaporizhzhia", "zaporizhzhia-oblast"), ("Kherson", "kherson-oblast")]


def test_context_words_match_whole_words_only(linker):
    """'governors' does not contain the context word 'governor' of the US state."""
    assert linked(linker, "Georgia wants to join, the governors of two regions said.")[0] == ("Georgia", "georgia")


def test_georgia_country_vs_us_state_by_context(linker):
    assert linked(linker, "Georgia sent observers from Tbilisi.")[0] == ("Georgia", "georgia")
    assert linked(linker, "Georgia voters lined up in Atlanta.") == [("Georgia", "georgia-us-state")]
    assert linked(linker, "Georgia spoke.") == [("Georgia", "georgia")]  # the country by default


def test_article_context_settles_georgia(linker):
    context = "The governor of the state met voters in Atlanta."
    assert linked(linker, "Georgia is voting.", context) == [("Georgia", "georgia-us-state")]


def test_capital_used_for_its_government(linker):
    found = linker.find("Moscow claims the town fell.", "")
    assert [(m.surface, m.entity, m.form) for m in found] == [("Moscow", "russia", "metonym")]


@pytest.mark.parametrize("text", ["an attack on Moscow", "drones flew toward Moscow", "talks in Moscow",
                                  "He visited Moscow"])
def test_capital_as_place(linker, text):
    assert linked(linker, text) == [("Moscow", "moscow")]


def test_kyiv_and_washington_metonyms(linker):
    assert linked(linker, "Kiev said no.") == [("Kiev", "ukraine")]
    assert linked(linker, "Washington said no.") == [("Washington", "united-states")]
    assert linked(linker, "Officials in Washington said no.") == [("Washington", "washington-dc")]


def test_longest_match_wins(linker):
    assert linked(linker, "the Institute for the Study of War said") == [
        ("Institute for the Study of War", "institute-for-the-study-of-war")]


def test_demonyms_link_their_state(linker):
    found = linker.find("Russian and Ukrainian troops", "")
    assert [(m.entity, m.form) for m in found] == [("russia", "demonym"), ("ukraine", "demonym")]


# --- in the corpus ---------------------------------------------------------------------

def test_mentions_keep_article_block_sentence_and_line(tmp_path):
    text = "A headline about the front today\n\nShelling hit Kherson. Then Trump spoke.\n"
    corpus = build(tmp_path, {"m.txt": text})
    assert [(m.entity, m.article, m.block, m.sentence, m.line, m.surface) for m in corpus.mentions] == [
        ("kherson", "m", 1, 1, 3, "Kherson"), ("donald-trump", "m", 1, 2, 3, "Trump")]
    assert only_article(corpus).entities == ("kherson", "donald-trump")
    assert [e.id for e in corpus.entities] == ["donald-trump", "kherson"]


def test_editor_entities_add_entities_and_aliases(tmp_path):
    corpus = build(tmp_path, {
        "entities.yaml": ("- id: harbour-watch\n  name: Harbour Watch\n  type: actor\n  kind: organisation\n"
                          "  aliases: [HW Monitor]\n"
                          "- id: kyiv\n  aliases: [Kyjiw]\n"),
        "a.txt": "A headline about the port today\n\nHarbour Watch counted ships; the HW Monitor was offline in Kyjiw.\n",
    })
    assert mentions_of(corpus) == {"harbour-watch": ["Harbour Watch", "HW Monitor"], "kyiv": ["Kyjiw"]}
    origins = {e.id: e.origin for e in corpus.entities}
    assert origins == {"harbour-watch": "entities.yaml:1", "kyiv": "entities.yaml:6"}
    assert "Kyjiw" in corpus.entity("kyiv").aliases and "Kiev" in corpus.entity("kyiv").aliases


def test_unlinked_candidates(tmp_path):
    text = ("A headline about the port today\n\n"
            "Olena Hrytsenko runs a terminal. The ship passed Olena Hrytsenko and the Harbour Watch Group.\n"
            "\n"
            "Trucks left for Olena Hrytsenko in Kyiv.\n")
    corpus = build(tmp_path, {"c.txt": text})
    assert [(c.name, c.count, c.places) for c in corpus.candidates] == [
        ("Olena Hrytsenko", 3, (("c.txt", 3), ("c.txt", 3), ("c.txt", 5))),
        ("Harbour Watch Group", 1, (("c.txt", 3),)),
    ]


def test_headings_and_tables_give_no_candidates(tmp_path):
    text = "Harbour Watch Group Reports\nThe port was quiet.\n\n| Olena Hrytsenko | Ivan Dorosh |\n|---|---|\n| a | b |\n"
    assert build(tmp_path, {"c.txt": text}).candidates == ()
