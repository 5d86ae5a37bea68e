"""Reading: finding article files, decoding, front matter, normalisation, boilerplate."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checking import check_all
from generator.corpus import load_corpus, read_all
from generator.errors import BriefingError
from generator.reading import load_patterns, normalise, read_source

from conftest import build, mentions_of, only_article, write_content

BODY = "Officials in Kharkiv met on Monday. They talked about the winter.\n"


def problems_of(root: Path, files: dict[str, str | bytes]) -> list[str]:
    """Every diagnostic `briefing check` would print for these files, as printed."""
    write_content(root, files)
    _, _, diagnostics = check_all(root)
    return [str(d) for d in diagnostics]


def read_one(root: Path, rel: str, data: str | bytes):
    write_content(root, {rel: data})
    patterns, problems = load_patterns(root)
    assert problems == []
    return read_source(root / rel, root, patterns)


# --- files, ids, subfolders ------------------------------------------------------------

def test_md_with_front_matter_and_txt_without(tmp_path):
    corpus = build(tmp_path, {
        "front-matter.md": "---\ntitle: Winter in Kharkiv\nsource: Test Wire\nurl: https://example.org/a\n"
                           "date: 2025-01-02\nlanguage: en\n---\n" + BODY,
        "bare.txt": "A plain text story about Kharkiv\n\n" + BODY,
    })
    md, txt = corpus.article("front-matter"), corpus.article("bare")
    assert (md.title, md.title_origin) == ("Winter in Kharkiv", "front-matter")
    assert (md.meta.source, md.meta.url, md.meta.date, md.meta.language) == (
        "Test Wire", "https://example.org/a", "2025-01-02", "en")
    assert md.blocks[0].line == 8  # numbered as in the file, front matter included
    assert (txt.title, txt.title_origin) == ("A plain text story about Kharkiv", "headline")
    assert txt.meta.title is None


def test_txt_front_matter_lookalike_is_text(tmp_path):
    """Only .md files have front matter; a .txt starting with --- is read as text."""
    doc, problems = read_one(tmp_path, "dashes.txt", "---\ntitle: not metadata\n---\n" + BODY)
    assert problems == []
    assert doc.meta.title is None
    assert (2, "title: not metadata") in doc.lines


def test_articles_in_subfolders(tmp_path):
    corpus = build(tmp_path, {
        "top.txt": BODY,
        "desk/one.md": BODY,
        "desk/deeper/two.txt": BODY,
    })
    assert [(a.id, a.source) for a in corpus.articles] == [
        ("one", "desk/one.md"), ("top", "top.txt"), ("two", "desk/deeper/two.txt")]


def test_article_id_is_slug_of_stem(tmp_path):
    corpus = build(tmp_path, {"Kyiv Talks – Día 2 (Update).txt": BODY})
    assert only_article(corpus).id == "kyiv-talks-dia-2-update"


def test_hidden_files_and_other_suffixes_are_ignored(tmp_path):
    corpus = build(tmp_path, {"a.txt": BODY, ".draft.txt": BODY, ".git/x.md": BODY,
                              "notes.yaml": "- x\n", "image.png": b"\x89PNG"})
    assert [a.id for a in corpus.articles] == ["a"]


def test_duplicate_id_names_both_files(tmp_path):
    assert problems_of(tmp_path, {"kursk.md": BODY, "archive/Kursk.txt": BODY}) == [
        "kursk.md: article id 'kursk' is also the id of archive/Kursk.txt; rename one file"]


def test_duplicate_id_is_an_error_for_load(tmp_path):
    write_content(tmp_path, {"a-b.txt": BODY, "A B.txt": BODY})
    with pytest.raises(BriefingError) as err:
        load_corpus(tmp_path)
    assert str(err.value) == "a-b.txt: article id 'a-b' is also the id of A B.txt; rename one file"


def test_file_name_without_slug_characters(tmp_path):
    assert problems_of(tmp_path, {"---.txt": BODY}) == [
        "---.txt: file name '---.txt' gives an empty id; rename the file"]


# --- bad input -------------------------------------------------------------------------

def test_cp1252_file_read_with_warning(tmp_path):
    data = "Caf\u00e9 owners in Kharkiv \u201cwait\u201d for power.\n".encode("cp1252")
    corpus = build(tmp_path, {"legacy.txt": data})
    assert [str(w) for w in corpus.warnings] == ["legacy.txt:1: warning: not valid UTF-8; read as cp1252"]
    assert only_article(corpus).title == "Caf\u00e9 owners in Kharkiv \u201cwait\u201d for power"


def test_cp1252_warning_names_first_bad_line(tmp_path):
    data = b"First line is plain.\nSecond line too.\nThird has \x96 a dash.\n"
    doc, problems = read_one(tmp_path, "dash.txt", data)
    assert [str(p) for p in problems] == ["dash.txt:3: warning: not valid UTF-8; read as cp1252"]
    assert doc.lines[2] == (3, "Third has \u2013 a dash.")


def test_utf8_bom_is_dropped(tmp_path):
    doc, problems = read_one(tmp_path, "bom.txt", "\ufeffKharkiv at night\n".encode("utf-8"))
    assert problems == []
    assert doc.lines == ((1, "Kharkiv at night"),)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n"], ids=["zero-bytes", "whitespace-only"])
def test_empty_file_skipped_with_warning(tmp_path, data):
    corpus = build(tmp_path, {"empty.txt": data, "real.txt": BODY})
    assert [a.id for a in corpus.articles] == ["real"]
    assert [str(w) for w in corpus.warnings] == ["empty.txt: warning: empty file; skipped"]


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03 PK zip", bytes(range(1, 9)) * 40],
                         ids=["nul-bytes", "control-bytes"])
def test_binary_file_skipped_with_warning(tmp_path, data):
    corpus = build(tmp_path, {"blob.txt": data, "real.txt": BODY})
    assert [a.id for a in corpus.articles] == ["real"]
    assert [str(w) for w in corpus.warnings] == ["blob.txt: warning: binary file (not text); skipped"]


def test_warnings_alone_do_not_fail_check(tmp_path):
    write_content(tmp_path, {"empty.md": b"", "real.txt": BODY})
    corpus, _, diagnostics = check_all(tmp_path)
    assert corpus is not None
    assert [d.severity for d in diagnostics] == ["warning"]


def test_utf16_with_bom_is_read_with_warning(tmp_path):
    corpus = build(tmp_path, {"wide.txt": "A headline about Kharkiv today\n\nThe lights came back.\n".encode("utf-16")})
    assert [str(w) for w in corpus.warnings] == ["wide.txt: warning: UTF-16 file read as UTF-16"]
    assert only_article(corpus).title == "A headline about Kharkiv today"


def test_symlink_leading_outside_is_skipped(tmp_path):
    outside = write_content(tmp_path / "outside", {"secret.txt": BODY})
    content = write_content(tmp_path / "content", {"real.txt": BODY})
    (content / "link.txt").symlink_to(outside / "secret.txt")
    corpus = load_corpus(content)
    assert [a.id for a in corpus.articles] == ["real"]
    assert [str(w) for w in corpus.warnings] == [
        "link.txt: warning: symbolic link points outside the content folder; skipped"]


# --- front matter ----------------------------------------------------------------------

def test_malformed_front_matter_has_line_and_column(tmp_path):
    text = "---\ntitle: Kharkiv: a view\n---\n" + BODY
    assert problems_of(tmp_path, {"bad.md": text}) == [
        "bad.md:2:15: malformed YAML: mapping values are not allowed here"]


def test_malformed_front_matter_unclosed_list(tmp_path):
    text = "---\nsource: Wire\ntitle: [one, two\n---\n" + BODY
    assert problems_of(tmp_path, {"sub/list.md": text}) == [
        "sub/list.md:4:1: malformed YAML: expected ',' or ']', but got '<stream end>'"]


def test_front_matter_must_be_a_mapping(tmp_path):
    assert problems_of(tmp_path, {"seq.md": "---\n- title\n- date\n---\n" + BODY}) == [
        "seq.md:2:1: front matter must be a mapping of keys to values"]


def test_unclosed_front_matter_is_an_error(tmp_path):
    assert problems_of(tmp_path, {"open.md": "---\ntitle: Never closed\n\n" + BODY}) == [
        "open.md:1:1: front matter opened with '---' is never closed by a '---' line"]


def test_unknown_front_matter_key_did_you_mean(tmp_path):
    text = "---\ntitle: Fine\ntilte: Typo\nauthor: Someone\n---\n" + BODY
    assert problems_of(tmp_path, {"keys.md": text}) == [
        "keys.md:3: unknown front matter key 'tilte' (did you mean 'title'?)",
        "keys.md:4: unknown front matter key 'author'",
    ]


def test_list_as_title_is_an_error(tmp_path):
    assert problems_of(tmp_path, {"t.md": "---\ntitle: [Kyiv, Kharkiv]\n---\n" + BODY}) == [
        "t.md:2: 'title' must be a single line of text, got a list"]


def test_empty_title_is_an_error_but_missing_value_is_not(tmp_path):
    assert problems_of(tmp_path, {"e.md": "---\ntitle: ''\nsource:\n---\n" + BODY}) == [
        "e.md:2: 'title' must not be empty"]


def test_mapping_as_source_is_an_error(tmp_path):
    assert problems_of(tmp_path, {"s.md": "---\nsource:\n  name: Wire\n---\n" + BODY}) == [
        "s.md:2: 'source' must be a single line of text, got a mapping"]


@pytest.mark.parametrize("value, shown", [
    ("next week", "'next week'"),
    ("2024-13-45", "'2024-13-45'"),  # looks like a YAML date, is none
    ("2025-02-30", "'2025-02-30'"),
])
def test_date_that_is_no_date(tmp_path, value, shown):
    assert problems_of(tmp_path, {"d.md": f"---\ndate: {value}\n---\n" + BODY}) == [
        f"d.md:2: date must be YYYY-MM-DD, got {shown}"]


def test_date_forms_that_are_dates(tmp_path):
    corpus = build(tmp_path, {"a.md": "---\ndate: 2025-01-02\n---\n" + BODY,
                              "b.md": "---\ndate: '2025-01-03'\n---\n" + BODY,
                              "c.md": "---\ndate: 2025-01-04 10:30:00\n---\n" + BODY})
    assert [a.meta.date for a in corpus.articles] == ["2025-01-02", "2025-01-03", "2025-01-04"]


def test_url_must_be_http(tmp_path):
    assert problems_of(tmp_path, {"u.md": "---\nurl: ftp://example.org/x\n---\n" + BODY}) == [
        "u.md:2: url must start with http:// or https://, got 'ftp://example.org/x'"]


def test_every_problem_of_a_file_is_reported(tmp_path):
    text = "---\ntitle: [a]\ndate: soon\nsorce: x\n---\n" + BODY
    assert problems_of(tmp_path, {"many.md": text}) == [
        "many.md:2: 'title' must be a single line of text, got a list",
        "many.md:3: date must be YYYY-MM-DD, got 'soon'",
        "many.md:4: unknown front matter key 'sorce' (did you mean 'source'?)",
    ]


def test_empty_front_matter_is_fine(tmp_path):
    corpus = build(tmp_path, {"e.md": "---\n---\nA headline about Kyiv today\n\n" + BODY})
    assert only_article(corpus).title == "A headline about Kyiv today"


# --- normalisation ---------------------------------------------------------------------

def test_nfc(tmp_path):
    decomposed = "Cafe\u0301 owners in Kharkiv wait\n"
    corpus = build(tmp_path, {"nfc.txt": decomposed + "\n" + BODY})
    title = only_article(corpus).title
    assert title == "Caf\u00e9 owners in Kharkiv wait"
    assert unicodedata.is_normalized("NFC", title)


def test_crlf_and_cr_line_endings(tmp_path):
    doc, _ = read_one(tmp_path, "crlf.txt", b"First line\r\nSecond line\rThird line  \r\n")
    assert doc.lines == ((1, "First line"), (2, "Second line"), (3, "Third line"))


def test_crlf_front_matter(tmp_path):
    corpus = build(tmp_path, {"w.md": b"---\r\ntitle: Windows file\r\n---\r\nBody about Kyiv.\r\n"})
    assert only_article(corpus).title == "Windows file"


def test_curly_quotes_kept_in_text_but_matched_alike(tmp_path):
    corpus = build(tmp_path, {
        "curly.txt": "A headline about the talks today\n\nTrump\u2019s envoy met Trump's critics.\n"})
    article = only_article(corpus)
    assert article.sentences[-1].text == "Trump\u2019s envoy met Trump's critics."
    assert mentions_of(corpus)["donald-trump"] == ["Trump", "Trump"]


def test_normalise_controls_and_spaces():
    assert normalise("a\u00a0b\x07c\u2028d  \n\ufeffe") == "a b c\nd\ne"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_normalise_is_idempotent_and_total(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once
    assert unicodedata.is_normalized("NFC", once)


# --- boilerplate -----------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Listen to article",
    "Listen to this story 4 min",
    "|",
    "||",
    "Read also: Kharkiv grid hit again as frost sets in",
    "This report may be republished free of charge provided our logo and byline are kept.",
    "Note: Every piece of content is checked twice by our desk.",
], ids=["listen", "listen-story", "lone-pipe", "double-pipe", "read-also", "republication", "note-every-piece"])
def test_shipped_boilerplate_pattern_removed(tmp_path, line):
    text = f"A headline about Kharkiv tonight\n{line}\nPower came back to Kharkiv in the evening.\n"
    corpus = build(tmp_path, {"b.txt": text})
    article = only_article(corpus)
    assert article.boilerplate == ((2, line),)
    assert all(line not in b.text for b in article.blocks)


def test_second_republication_wording_removed(tmp_path):
    line = "Partner outlets may run this piece; our logo and the reporter's byline must appear on reposted copies."
    article = only_article(build(tmp_path, {"b.txt": f"A headline about Kharkiv tonight\n{line}\nKharkiv was calm.\n"}))
    assert article.boilerplate == ((2, line),)


@pytest.mark.parametrize("line", [
    "Russian state media reprinted the interview without permission, officials in Kharkiv said.",
    "The regional paper republished the logo of the brigade on its front page.",
    "Kyiv said it would print more money.",
])
def test_news_sentences_about_reprinting_are_kept(tmp_path, line):
    article = only_article(build(tmp_path, {"b.txt": f"A headline about Kharkiv tonight\n{line}\n"}))
    assert article.boilerplate == ()


def test_boilerplate_is_never_linked(tmp_path):
    text = ("A headline about the front tonight\n"
            "Read also: Odesa port reopens after Russian strike\n"
            "Listen to article\n"
            "Officials said the night was quiet.\n")
    corpus = build(tmp_path, {"b.txt": text})
    assert "odesa" not in mentions_of(corpus)
    assert "russia" not in mentions_of(corpus)
    assert {c.name for c in corpus.candidates}.isdisjoint({"Odesa"})


def test_trailing_blank_padding_removed(tmp_path):
    doc, _ = read_one(tmp_path, "pad.txt", "A headline\n\nBody line.\n" + "\n" * 14 + "   \n\t\n")
    assert doc.lines[-1] == (3, "Body line.")


def test_editor_boilerplate_pattern(tmp_path):
    corpus = build(tmp_path, {
        "boilerplate.yaml": "- pattern: 'Get the .* app today'\n  description: app promotion\n",
        "a.txt": "A headline about Kherson today\nGet the Front Desk app today\nKherson was shelled.\n",
    })
    assert only_article(corpus).boilerplate == ((2, "Get the Front Desk app today"),)


def test_editor_pattern_matches_curly_and_straight_apostrophes(tmp_path):
    corpus = build(tmp_path, {
        "boilerplate.yaml": "- {pattern: \"editor's pick\", description: promo}\n",
        "a.txt": "A headline about Kherson today\nEditor\u2019s pick\nKherson was shelled.\n",
    })
    assert only_article(corpus).boilerplate == ((2, "Editor\u2019s pick"),)


def test_boilerplate_pattern_matches_whole_line_only(tmp_path):
    corpus = build(tmp_path, {"a.txt": "A headline about Kherson today\nWe share the view that Kherson holds.\n"})
    assert only_article(corpus).boilerplate == ()


def test_invalid_regex_in_boilerplate_yaml(tmp_path):
    files = {"boilerplate.yaml": "- {pattern: 'fine', description: ok}\n- pattern: 'broken ('\n", "a.txt": BODY}
    assert problems_of(tmp_path, files) == [
        "boilerplate.yaml:2: invalid regular expression: missing ), unterminated subpattern at position 7"]


def test_boilerplate_yaml_unknown_key_and_missing_pattern(tmp_path):
    files = {"boilerplate.yaml": "- pattern: x\n  descripton: y\n- description: no pattern\n", "a.txt": BODY}
    assert problems_of(tmp_path, files) == [
        "boilerplate.yaml:2: unknown key 'descripton' (did you mean 'description'?)",
        "boilerplate.yaml:3: each entry needs a 'pattern' string",
    ]


def test_boilerplate_yaml_malformed(tmp_path):
    files = {"boilerplate.yaml": "- pattern: [x\n", "a.txt": BODY}
    assert problems_of(tmp_path, files) == [
        "boilerplate.yaml:2:1: malformed YAML: expected ',' or ']', but got '<stream end>'"]


def test_read_all_collects_every_problem(tmp_path):
    write_content(tmp_path, {"a.md": "---\ntitel: x\n---\n", "b.txt": b"", "c.md": "---\nx: [\n---\n"})
    patterns, _ = load_patterns(tmp_path)
    docs, problems = read_all(tmp_path, patterns)
    assert docs == []
    assert [str(p) for p in problems] == [
        "a.md:2: unknown front matter key 'titel' (did you mean 'title'?)",
        "b.txt: warning: empty file; skipped",
        "c.md:3:1: malformed YAML: expected the node content, but found '<stream end>'",
    ]
