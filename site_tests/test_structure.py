"""Structure: blocks (headings, paragraphs, lists, tables), sentences, line numbers, titles."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.slugs import slugify
from generator.structure import find_title, split_blocks, split_sentences

from conftest import build, numbered, only_article


def kinds(text: str) -> list[tuple[str, int, str]]:
    return [(b.kind, b.line, b.text) for b in split_blocks(numbered(text))]


# --- blocks ----------------------------------------------------------------------------

def test_bare_line_headings_including_lower_case():
    text = ("Front Line Report From the East\n"
            "The lead sentence ends here.\n"
            "Closing Remarks\n"
            "Talks may start soon.\n"
            "expectations of negotiations\n"
            "More prose follows.\n")
    assert kinds(text) == [
        ("heading", 1, "Front Line Report From the East"),
        ("paragraph", 2, "The lead sentence ends here."),
        ("heading", 3, "Closing Remarks"),
        ("paragraph", 4, "Talks may start soon."),
        ("heading", 5, "expectations of negotiations"),
        ("paragraph", 6, "More prose follows."),
    ]


def test_markdown_headings():
    assert kinds("## What comes next ##\n\nText follows.\n") == [
        ("heading", 1, "What comes next"), ("paragraph", 3, "Text follows.")]


def test_list_intro_ending_in_colon_is_not_a_heading():
    text = "Key strategic implications include:\n- more drones\n- fewer shells\n"
    assert kinds(text) == [
        ("paragraph", 1, "Key strategic implications include:"),
        ("list", 2, "more drones\nfewer shells"),
    ]


def test_short_line_at_the_end_is_a_paragraph():
    """A heading heads something: a last short line is text."""
    assert kinds("Some prose here.\nThanks for reading\n")[-1] == ("paragraph", 2, "Thanks for reading")


def test_quoted_line_is_not_a_heading():
    assert kinds("\u201cWe will hold the line\u201d\nSaid the commander.\n")[0][0] == "paragraph"


def test_paragraphs_separated_by_blank_lines():
    assert kinds("First paragraph.\n\nSecond paragraph.\n\n\nThird paragraph.\n") == [
        ("paragraph", 1, "First paragraph."), ("paragraph", 3, "Second paragraph."),
        ("paragraph", 6, "Third paragraph.")]


def test_bullet_lists_with_item_lines():
    text = "Intro text:\n- first item\n  wrapped on\n* second item\n\u2022 third item\n1. fourth item\n2) fifth item\n"
    block = split_blocks(numbered(text))[1]
    assert block.kind == "list"
    assert block.items == ("first item wrapped on", "second item", "third item", "fourth item", "fifth item")
    assert block.item_lines == (2, 4, 5, 6, 7)
    assert (block.line, block.end_line) == (2, 7)


def test_hard_wrapped_paragraphs_are_joined():
    text = ("The first paragraph is cut at a\n"
            "fixed width and keeps going until\n"
            "it finally ends here.\n"
            "\n"
            "the second one starts in lower case\n"
            "and also runs over two lines.\n")
    assert kinds(text) == [
        ("paragraph", 1, "The first paragraph is cut at a fixed width and keeps going until it finally ends here."),
        ("paragraph", 5, "the second one starts in lower case and also runs over two lines."),
    ]


def test_heading_above_hard_wrapped_paragraph():
    text = ("A Heading Above Wrapped Text\n"
            "The paragraph is cut at a\n"
            "fixed width and keeps going until\n"
            "it finally ends here.\n")
    assert kinds(text) == [
        ("heading", 1, "A Heading Above Wrapped Text"),
        ("paragraph", 2, "The paragraph is cut at a fixed width and keeps going until it finally ends here."),
    ]


def test_every_block_keeps_its_line(tmp_path):
    text = ("---\ntitle: Lines\n---\n"
            "Heading After Front Matter\n"
            "Listen to article\n"
            "A paragraph.\n"
            "\n"
            "- an item\n"
            "Region | Note\n"
            "---|---\n"
            "Kherson | quiet\n")
    article = only_article(build(tmp_path, {"lines.md": text}))
    assert [(b.kind, b.line, b.end_line) for b in article.blocks] == [
        ("heading", 4, 4), ("paragraph", 6, 6), ("list", 8, 8), ("table", 9, 11)]
    assert [(s.line, s.text) for s in article.sentences] == [
        (4, "Heading After Front Matter"), (6, "A paragraph."), (8, "an item"),
        (9, "Region | Note"), (11, "Kherson | quiet")]
    assert article.tables[0].row_lines == (11,)


# --- sentences -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Mr. Rutte spoke first. Then Ms. Kallas replied.", ["Mr. Rutte spoke first.", "Then Ms. Kallas replied."]),
    ("The U.S. and the U.K. agreed. Talks follow.", ["The U.S. and the U.K. agreed.", "Talks follow."]),
    ("He met Vladimir V. Putin in Moscow. J. D. Vance came later.",
     ["He met Vladimir V. Putin in Moscow.", "J. D. Vance came later."]),
    ("Gen. Syrskyi spoke in Jan. 2025 about it. Nobody objected.",
     ["Gen. Syrskyi spoke in Jan. 2025 about it.", "Nobody objected."]),
    ("Prices rose 2.5 percent. Was it true? Yes!", ["Prices rose 2.5 percent.", "Was it true?", "Yes!"]),
    ("The envoy said no. The talks ended.", ["The envoy said no.", "The talks ended."]),
    ("Brigade No. 5 held. Nothing else moved.", ["Brigade No. 5 held.", "Nothing else moved."]),
    ("\u201cWe hold.\u201d The commander left.", ["\u201cWe hold.\u201d", "The commander left."]),
    ("No full stop at the end", ["No full stop at the end"]),
], ids=["mr-ms", "u.s.-u.k.", "initials", "gen-jan", "numbers-marks", "said-no", "no-number", "quote", "no-stop"])
def test_sentences(text, expected):
    assert split_sentences(text) == expected


# --- titles ----------------------------------------------------------------------------

def title_of(text: str) -> tuple[str, str]:
    title, origin, _ = find_title(split_blocks(numbered(text)))
    return title, origin


def test_title_from_front_matter_wins(tmp_path):
    text = "---\ntitle: Set by the editor\n---\nA Headline In The File\n\nBody text.\n"
    article = only_article(build(tmp_path, {"fm.md": text}))
    assert (article.title, article.title_origin) == ("Set by the editor", "front-matter")
    assert article.blocks[0].text == "A Headline In The File"


def test_title_from_first_headline_line():
    assert title_of("Kyiv Counts the Cost of Winter\nThe lead says what happened.\n") == (
        "Kyiv Counts the Cost of Winter", "headline")


def test_lead_paragraph_then_headline_on_line_two():
    text = ("A long lead paragraph that explains at length what happened on the front overnight and why it matters.\n"
            "Russia Gains Ground Near the River\n"
            "Body text follows.\n")
    title, origin, blocks = find_title(split_blocks(numbered(text)))
    assert (title, origin) == ("Russia Gains Ground Near the River", "headline")
    assert [b.kind for b in blocks] == ["paragraph", "heading", "paragraph"]  # stays a section heading


def test_repeated_title_line_is_one_title(tmp_path):
    text = "Kursk Used as a Bargaining Chip\nKursk Used as a Bargaining Chip\nThe lead paragraph.\n"
    article = only_article(build(tmp_path, {"repeat.txt": text}))
    assert (article.title, article.title_origin) == ("Kursk Used as a Bargaining Chip", "headline")
    assert [(b.kind, b.line) for b in article.blocks] == [("heading", 1), ("paragraph", 3)]
    assert [b.index for b in article.blocks] == [0, 1]


def test_repeated_title_with_other_quotes_is_one_title():
    text = "Kyiv\u2019s Winter of Talks Begins\nKyiv's winter of talks begins\nThe lead paragraph.\n"
    title, origin, blocks = find_title(split_blocks(numbered(text)))
    assert (title, origin) == ("Kyiv\u2019s Winter of Talks Begins", "headline")
    assert [b.line for b in blocks] == [1, 3]


def test_no_headline_title_from_lead_never_boilerplate(tmp_path):
    text = ("Listen to article\n"
            "|\n"
            "As the winter sets in, officials in the capital weigh their options before the talks.\n"
            "It seems nobody is sure what comes next.\n")
    article = only_article(build(tmp_path, {"lead.txt": text}))
    assert article.title_origin == "lead"
    assert article.title == "As the winter sets in, officials in the capital weigh their options before the talks"
    assert 10 <= len(article.title) <= 120


def test_title_from_long_lead_is_cut_to_at_most_120():
    lead = ("Officials in the capital, who spoke on condition of anonymity because they were not authorised "
            "to brief reporters, said the talks would resume next week in a neutral country.")
    title, origin = title_of(lead + "\n")
    assert origin == "lead"
    assert title == ("Officials in the capital, who spoke on condition of anonymity because they were not "
                     "authorised to brief\u2026")
    assert 10 <= len(title) <= 120


def test_title_from_very_short_lead_uses_the_whole_lead():
    assert title_of("Quiet. The rest of the lead is longer.\n") == ("Quiet. The rest of the lead is longer", "lead")


def test_title_from_lead_too_short_for_a_title():
    assert title_of("Calm.\n") == ("Untitled article", "lead")


@pytest.mark.parametrize("generic", ["Key Points", "Closing Remarks", "The Conclusion", "KEY TAKEAWAYS"])
def test_generic_heading_is_never_a_title(generic):
    title, origin = title_of(f"{generic}\n- a point\n- another point\nThe salient is shrinking fast. More soon.\n")
    assert (title, origin) == ("The salient is shrinking fast", "lead")


def test_two_word_line_is_not_a_headline():
    assert title_of("Kursk Update\nThe salient is shrinking fast, officials say.\n") == (
        "The salient is shrinking fast, officials say", "lead")


def test_empty_article_is_untitled():
    assert find_title([]) == ("Untitled article", "lead", [])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab .:|-\u2019*1\t"), max_size=12), max_size=5))
def test_title_from_lead_is_bounded(lines):
    blocks = [b for b in split_blocks(numbered("\n".join(lines))) if b.kind != "heading"]
    title, origin, _ = find_title(blocks)
    if origin == "lead":
        assert 10 <= len(title) <= 120


# --- property-based --------------------------------------------------------------------

LINE = st.text(alphabet=st.sampled_from("Ab z.:|-\\\u2019*\u20221)\t#"), max_size=20)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, max_size=12))
def test_split_blocks_never_raises_and_keeps_lines(lines):
    numbered_lines = list(enumerate(lines, start=1))
    blocks = split_blocks(numbered_lines)
    assert [b.index for b in blocks] == list(range(len(blocks)))
    for block in blocks:
        assert 1 <= block.line <= block.end_line <= len(lines)
    starts = [b.line for b in blocks]
    assert starts == sorted(starts)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_split_sentences_keeps_the_words(text):
    assert " ".join(split_sentences(text)).split() == text.split()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_slugify_output(text):
    slug = slugify(text)
    assert re.fullmatch(r"[a-z0-9-]*", slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert slugify(slug) == slug
