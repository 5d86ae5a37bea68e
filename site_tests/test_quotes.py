"""Quotations and their speakers (issue 4): every attribution pattern on fixture texts of
our own (site_tests/fixtures/extraction/), plus the quote-mark rules on single lines."""
from __future__ import annotations

import pytest

from generator.corpus import load_corpus
from generator.model import Corpus, Quote
from generator.quotes import quote_kind, quote_spans

from conftest import FIXTURES, build

EXTRACTION = FIXTURES / "extraction"


@pytest.fixture(scope="module")
def trade() -> Corpus:
    return load_corpus(EXTRACTION / "trade")


@pytest.fixture(scope="module")
def languages() -> Corpus:
    return load_corpus(EXTRACTION / "languages")


def quote(corpus: Corpus, start: str) -> Quote:
    found = [q for q in corpus.quotes if q.text.strip().startswith(start)]
    assert len(found) == 1, (start, [q.text for q in corpus.quotes])
    return found[0]


# --- quote marks -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, inside", [
    ("He said “we hold the line,” and left.", ["we hold the line,"]),
    ('He said "we hold the line," and left.', ["we hold the line,"]),
    ("Le ministre a parlé d’une « trêve fragile » hier.", [" trêve fragile "]),
    ("Er sagte, die Lage sei „sehr ernst“ und schwierig.", ["sehr ernst"]),
    ("Sie nannte es „eine Falle”.", ["eine Falle"]),
    ("“First part,” she said, “and the second.”", ["First part,", "and the second."]),
    ("“A quotation that runs on into the next paragraph", ["A quotation that runs on into the next paragraph"]),
    ("The soldiers’ rations and the commander’s map.", []),
])
def test_text_between_the_marks_is_kept_exactly(text, inside):
    assert [text[s:e] for s, e in quote_spans(text)] == inside


@pytest.mark.parametrize("text, kind", [
    ("“We will not retreat,” she said.", "full"),
    ("He called the plan “a trap for the unwary” on Monday.", "partial"),
    ("The so-called “referendum” was held anyway.", "scare"),
    ("Officials spoke of “hybrid attacks” again.", "scare"),
])
def test_kind(text, kind):
    (start, end), = quote_spans(text)
    assert quote_kind(text, start, end) == kind


# --- speakers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("start, speaker", [
    ("Nobody fires that many", "ruben-sargsyan"),  # “…,” X said (X's surname, first named in full)
    ("Our units did not start", "leyla-mammadli"),  # she: the last woman named, past a man named since
    ("The monitors cannot", "anahit-petrosyan"),  # no attribution: the speaker of the sentence before
    ("Without access", "anahit-petrosyan"),  # a quoted paragraph goes on from the one before
    ("The ceasefire is holding", "tigran-avetisyan"),  # “…,” according to X, a researcher …
    ("provocation", "azerbaijan"),  # a capital speaking for its state ("Baku now says")
    ("measured and proportionate", "azerbaijan"),  # partial quotation in the same sentence
])
def test_speaker_of_each_pattern(war, start, speaker):
    assert quote(war, start).speaker == speaker


def test_text_is_the_characters_between_the_marks(war):
    assert quote(war, "Nobody").text == "Nobody fires that many rounds by accident,"


def test_unnamed_speakers_are_described_not_forced_onto_an_entity(war):
    q = quote(war, "We are ready to hold")
    assert q.speaker is None
    assert q.speaker_label == "A senior officer in the Armenian army"  # "Armenian" is not the speaker
    resident = quote(war, "We see columns")  # the second article: “…,” said one resident of the town
    assert resident.speaker is None and resident.speaker_label == "one resident of the town"


def test_scare_quotes_are_kept_and_marked(war):
    assert quote(war, "provocation").kind == "scare"
    assert quote(war, "measured and proportionate").kind == "partial"
    assert quote(war, "Nobody fires").kind == "full"


def test_quotes_carry_their_place(war):
    q = quote(war, "Nobody fires")
    article = war.article(q.article)
    sentence = article.sentences[q.sentence]
    assert "Nobody fires" in sentence.text and sentence.line == q.line and sentence.block == q.block


def test_told_an_outlet_and_a_described_official(trade):
    assert quote(trade, "Steel users pay").speaker == "marcus-feld"  # “…,” Feld told the Pacific Herald
    official = quote(trade, "We will not be the dumping ground")
    assert official.speaker is None and official.speaker_label == "a senior EU official"


def test_speaker_named_before_the_quote_with_a_colon_or_comma(tmp_path):
    corpus = build(tmp_path, {"a.md": (
        "Defence Secretary Lloyd Austin said: “The mines stay on Ukrainian soil.”\n\n"
        "Emmanuel Macron told reporters, “Europe must pay for its own defence.”\n")})
    assert quote(corpus, "The mines stay").speaker == "lloyd-austin"
    assert quote(corpus, "Europe must pay").speaker == "emmanuel-macron"


def test_pronoun_after_a_described_speaker_stays_described(tmp_path):
    corpus = build(tmp_path, {"a.md": (
        "Vladimir Putin spoke on television in the morning.\n\n"
        "One Ukrainian drone operator told a local radio station that the attacks came at night. "
        "“They fly in pairs. We hear them first,” he said.\n")})
    q = quote(corpus, "They fly in pairs")
    assert q.speaker is None and q.speaker_label == "One Ukrainian drone operator"


def test_he_or_she_skips_a_person_of_the_other_gender(tmp_path):
    corpus = build(tmp_path, {"a.md": (
        "Mrs Dana Whitfield, a lawyer for the families, said the inquiry was too slow.\n\n"
        "Keir Starmer said the government would answer. He promised a statement within a week.\n\n"
        "“We have waited long enough,” she said.\n")})
    assert quote(corpus, "We have waited").speaker == "dana-whitfield"


def test_quotes_in_other_languages_have_speakers(languages):
    assert quote(languages, "sehr schwierig").speaker == "volodymyr-zelensky"  # „…“, "sagte"
    assert quote(languages, "stabilisée").speaker == "vladimir-putin"  # « … », "a affirmé"
    assert quote(languages, "difficult but under control").speaker == "volodymyr-zelensky"  # MT English


def test_order_is_text_order_and_deterministic(war):
    again = load_corpus(EXTRACTION / "war")
    assert again.quotes == war.quotes
    keys = [(q.article, q.block, q.sentence) for q in war.quotes]
    assert keys == sorted(keys)
