"""Discovery of quoted people and organisations, and other languages and spellings (issue 4)."""
from __future__ import annotations

import pytest

from generator.corpus import load_corpus
from generator.discovery import Known, scan_sentence
from generator.export import export_data
from generator.gazetteer import load_gazetteer
from generator.language import detect_language
from generator.model import Corpus

from conftest import FIXTURES, build, linked

EXTRACTION = FIXTURES / "extraction"


@pytest.fixture(scope="module")
def known() -> Known:
    entities, _ = load_gazetteer(None)
    return Known.of(entities)


def extracted(corpus: Corpus) -> dict[str, tuple[str, str | None]]:
    return {e.id: (e.kind, e.role) for e in corpus.entities if e.origin == "extracted"}


def test_speakers_and_sources_become_entities_of_the_right_kind(war):
    assert extracted(war) == {
        "leyla-mammadli": ("person", "spokeswoman"),  # "Spokeswoman Leyla Mammadli said"
        "ruben-sargsyan": ("person", "military analyst based in Yerevan"),
        "coastal-gazette": ("media", None),  # "told the Coastal Gazette"
        "anahit-petrosyan": ("person", "head of the Caucasus Ceasefire Observatory"),
        "caucasus-ceasefire-observatory": ("organisation", None),  # named in a speaker's role
        "tigran-avetisyan": ("person", "researcher at the Yerevan Policy Institute"),  # "according to X"
        "yerevan-policy-institute": ("organisation", None),  # a place name inside the name stays
    }


def test_discovered_names_link_everywhere_before_the_linker_is_built(war):
    article = war.article("karabakh-line")
    assert "ruben-sargsyan" in article.entities and "caucasus-ceasefire-observatory" in article.entities
    surfaces = {m.surface for m in war.mentions if m.entity == "ruben-sargsyan"}
    assert surfaces == {"Ruben Sargsyan", "Sargsyan"}  # the surname alone links too
    second = war.article("karabakh-second-view")
    assert "caucasus-ceasefire-observatory" in second.entities  # found in one article, linked in another


def test_exported_with_origin_and_role(war):
    exported = {e["id"]: e for e in export_data(war)["entities"]}
    assert exported["anahit-petrosyan"]["origin"] == "extracted"
    assert exported["anahit-petrosyan"]["role"] == "head of the Caucasus Ceasefire Observatory"
    assert exported["ruben-sargsyan"]["aliases"] == ["Sargsyan"]


@pytest.mark.parametrize("sentence, found", [
    ("“We will appeal,” said Mira Koenig, a lawyer at the Baltic Rights Centre.",
     [("Mira Koenig", "person", "lawyer at the Baltic Rights Centre"), ("Baltic Rights Centre", "organisation", None)]),
    ("Deputy Foreign Minister Ivan Petrov said the talks were over.", [("Ivan Petrov", "person", "deputy foreign minister")]),
    ("Analyst Tomas Reiter told the Alpine Review that prices would rise.",
     [("Tomas Reiter", "person", "analyst"), ("Alpine Review", "media", None)]),
    ("According to the Danube Policy Forum (DPF), exports fell.", [("Danube Policy Forum", "organisation", None)]),
    ("Nadia Stern, 64, said she would stay.", [("Nadia Stern", "person", None)]),
])
def test_names_in_speaker_and_source_positions(known, sentence, found):
    assert [(f.name, f.kind, f.role) for f in scan_sentence(sentence, known)] == found


@pytest.mark.parametrize("sentence", [
    "Military analysts said the front would hold.",
    "Western officials said the talks had stalled.",
    "Officials in Engels said the base was hit.",
    "President Emmanuel Macron said Europe must act.",  # in the gazetteer already
    "NATO Secretary General Mark Rutte told reporters that allies agreed.",
    "Ukrainian President Wolodymyr Selenskyj said the offer stands.",  # a known spelling
    "The Kremlin said the Foreign Ministry would respond.",
    "The general staff reported new attacks.",
    "Kyiv Independent reporters said the road was cut.",  # "reporters" is no name
])
def test_no_entity_from_ordinary_words_or_known_names(known, sentence):
    assert scan_sentence(sentence, known) == []


def test_words_the_articles_also_write_in_lower_case_are_not_names(tmp_path):
    corpus = build(tmp_path, {"a.md": (
        "Military Intelligence said the convoy had been hit. Grain Exports Rose Sharply, traders said.\n\n"
        "Officers from military intelligence gave no details; grain exports rose in May.\n")})
    assert [e.id for e in corpus.entities if e.origin == "extracted"] == []


def test_an_acronym_written_elsewhere_becomes_an_alias(tmp_path):
    corpus = build(tmp_path, {"a.md": (
        "Lena Brandt, director of the Northern Shipping Council, said the attack was confirmed.\n\n"
        "“Insurers are leaving,” Lena Brandt told the Harbour Ledger Daily. The NSC later repeated the figure.\n")})
    council = next(e for e in corpus.entities if e.id == "northern-shipping-council")
    assert council.aliases == ("NSC",) and council.kind == "organisation"
    assert {m.surface for m in corpus.mentions if m.entity == council.id} == {"Northern Shipping Council", "NSC"}


# --- other languages and spellings -------------------------------------------------------------

@pytest.mark.parametrize("spelling, entity", [
    ("Pokrowsk", "pokrovsk"), ("Koursk", "kursk"), ("Kupjansk", "kupiansk"), ("Torezk", "toretsk"),
    ("Charkiw", "kharkiv"), ("Donbás", "donbas"), ("Selenskyj", "volodymyr-zelensky"),
    ("Zelenski", "volodymyr-zelensky"), ("Poutine", "vladimir-putin"), ("Cursk", "kursk"),
    ("Kiew", "kyiv"), ("Moskau", "moscow"),
])
def test_spellings_of_other_languages_link_the_same_entities(linker, spelling, entity):
    assert linked(linker, f"Die Lage in {spelling} bleibt angespannt.") == [(spelling, entity)]


@pytest.fixture(scope="module")
def languages() -> Corpus:
    return load_corpus(EXTRACTION / "languages")


def test_each_articles_language_is_detected_and_recorded(languages):
    assert {a.id: a.language for a in languages.articles} == {
        "de-pokrowsk": "de", "fr-koursk": "fr", "es-donbas": "es", "mt-english": "en"}
    assert {a["id"]: a["language"] for a in export_data(languages)["articles"]}["de-pokrowsk"] == "de"


def test_the_same_places_and_people_in_four_languages(languages):
    entities = {a.id: set(a.entities) for a in languages.articles}
    assert {"pokrovsk", "toretsk", "kupiansk", "kharkiv-oblast", "volodymyr-zelensky"} <= entities["de-pokrowsk"]
    assert {"kursk-oblast", "vladimir-putin", "volodymyr-zelensky", "donbas"} <= entities["fr-koursk"]
    assert {"volodymyr-zelensky", "kursk", "kharkiv", "donbas", "russia"} <= entities["es-donbas"]
    assert {"volodymyr-zelensky", "kursk-oblast", "pokrovsk", "kupiansk", "russia"} <= entities["mt-english"]


@pytest.mark.parametrize("text, language", [
    ("Die Armee hat ihre Angriffe fortgesetzt, und der Generalstab sagte, die Lage sei ernst.", "de"),
    ("Les forces tiennent toujours une partie de la région, selon le ministre qui a parlé hier.", "fr"),
    ("El presidente dijo que las tropas siguen en la región y que la defensa es una prioridad.", "es"),
    ("The army said that the troops were still holding the line in the east.", "en"),
    ("Українські війська утримують позиції, заявив командувач.", "uk"),
    ("Российские войска продолжают наступление, сообщил штаб.", "ru"),
    ("", "en"),
])
def test_language_detection(text, language):
    assert detect_language(text) == language
