"""Property-based tests (issue 7): any input text, however hostile, gives no exception.

The core tests already check, on small alphabets, that normalising is idempotent
(test_reading), that splitting blocks keeps lines in order and that slugs are slugs
(test_structure), and that parsed tables are rectangular (test_tables). These go further:
any Unicode text and any bytes, Markdown- and YAML-shaped text, whole files through reading,
and the escaping that puts text on a page, checked through Python-Markdown with the site's
extensions: whatever the text, the reader sees exactly it.
"""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.errors import BriefingError
from generator.escaping import highlight, md, printable
from generator.model import Block
from generator.planning import article_path, entity_path
from generator.reading import decode, load_patterns, normalise, read_source, split_front_matter
from generator.slugs import slugify
from generator.structure import parse_cells, split_blocks
from generator.tables import parse_table
from generator.writing import OutputFolderError, _check_path
from generator.yamlio import load_yaml

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that mean something to Markdown, its extensions, HTML, Jinja or YAML.
SPECIAL = ["\\", "`", "``", "*", "**", "_", "{", "}", "{{", "}}", "{%", "%}", "{#", "[", "]", "(", ")", "#", "+",
           "-", "---", ".", "1.", "2)", "!", "!!!", "???", "???+", "|", "\\|", "<", ">", "&", "&amp;", "&#60;", "&lt;",
           ";", ":", "=", "===", "~", "~~~", "```", "%", "?", "\"", "'", "\u2019", "\u201c", " ", "  ", "\t", "\n",
           "\r\n", "\r", "\n\n", "/", "@", "^", "<script>", "</script>", "<img src=x onerror=alert(1)>",
           "javascript:", "data:", "[x](javascript:alert(1))", "<div markdown=\"1\">", "{: .x }", "[TOC]",
           "*[HTML]: x", "[^1]", "-->", "<!--", "\x00", "\x02", "\x03", "\x1b", "\x7f", "\x85", "\u00a0",
           "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "e\u0301", "\u0130", "\U0001f600", "&:", "<<: *a",
           "&a ", "*a", "!!binary ", "!!python/object:x ", "!!bool ", "!!timestamp ", "!!int ", "!!float ",
           "!!null ", "!!set ", "!!omap ", "!!pairs ", "!!str ", "!!map ", "!!seq ", "!foo ", "- ", "? ", "key: ",
           "[a, ", "{a: ", "yes", "~", "2024-13-45", "1e999", "0x1F"]
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=4)), max_size=24).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=200), HOSTILE_TEXT)
LINES = st.lists(st.one_of(HOSTILE_TEXT, st.text(max_size=30)), max_size=14)


def _table_rows():
    cell = st.lists(st.sampled_from(["a", "b c", "`", "``", "\\|", "|", " ", "<b>", "{{ x }}", "-", ":", "Kyiv", "1,000"]),
                    max_size=4).map("".join)
    row = st.lists(cell, min_size=1, max_size=5).map(lambda cells: "| " + " | ".join(cells) + " |")
    separator = st.integers(1, 5).map(lambda n: "|" + "|".join([" --- "] * n) + "|")
    return st.lists(st.one_of(row, separator, row.map(str.strip), row.map(lambda r: r.strip("|"))), min_size=1, max_size=10)


# --- the normaliser ----------------------------------------------------------------------------

@SETTINGS
@given(ANY_TEXT)
def test_normalise_is_total_idempotent_and_clean(text):
    once = normalise(text)
    assert normalise(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029\ufeff\r]", once)
    assert all(line == line.rstrip() for line in once.split("\n"))


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["a.md", "a.txt"]))
def test_any_bytes_decode_without_exception(data, name):
    text, problems = decode(data, name)
    assert text is None or isinstance(text, str)
    assert all(p.path == name for p in problems)
    if text is not None:
        normalise(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=300), HOSTILE_TEXT.map(lambda t: ("---\n" + t).encode("utf-8", "surrogatepass"))),
       st.sampled_from(["a.md", "b.txt"]))
def test_any_file_is_read_or_refused_with_diagnostics(tmp_path_factory, data, name):
    root = tmp_path_factory.mktemp("read")
    (root / name).write_bytes(data)
    patterns, _ = load_patterns(root)
    doc, problems = read_source(root / name, root, patterns)
    assert doc is not None or problems
    if doc is not None:
        assert [n for n, _ in doc.lines] == sorted(n for n, _ in doc.lines)
        assert all("\n" not in line for _, line in doc.lines)


# --- YAML --------------------------------------------------------------------------------------

@SETTINGS
@given(HOSTILE_TEXT)
def test_any_yaml_text_loads_or_is_a_path_line_error(text):
    try:
        load_yaml(text, "x.yaml")
    except BriefingError as err:
        assert err.diagnostics and all(d.path == "x.yaml" and "\n" not in d.message for d in err.diagnostics)


@SETTINGS
@given(HOSTILE_TEXT)
def test_any_front_matter_splits_without_exception(text):
    data, body, offset, problems = split_front_matter(normalise("---\n" + text + "\n---\nbody"), "a.md")
    assert data is None or isinstance(data, dict)
    assert offset >= 0 and isinstance(body, str)


# --- the block and table parser -----------------------------------------------------------------

@SETTINGS
@given(LINES)
def test_any_text_splits_into_ordered_blocks(lines):
    numbered = list(enumerate(normalise("\n".join(lines)).split("\n"), start=1))
    blocks = split_blocks(numbered)
    assert [b.index for b in blocks] == list(range(len(blocks)))
    assert all(1 <= b.line <= b.end_line <= len(numbered) for b in blocks)
    for n, block in enumerate(b for b in blocks if b.kind == "table"):
        table = parse_table(block, n)
        assert all(len(row) == len(table.header) for row in table.rows)
        assert len(table.rows) == len(table.row_lines)


@SETTINGS
@given(_table_rows())
def test_every_parsed_table_is_rectangular_and_keeps_its_lines(rows):
    block = Block(0, "table", 7, 7 + len(rows) - 1, "\n".join(rows), (), tuple(range(7, 7 + len(rows))))
    table = parse_table(block, 0)
    assert all(len(row) == len(table.header) for row in table.rows)
    assert len(table.rows) == len(table.row_lines)
    assert set(table.row_lines) <= set(range(8, 7 + len(rows)))
    assert all("\n" not in cell for row in (table.header, *table.rows) for cell in row)


@SETTINGS
@given(HOSTILE_TEXT)
def test_any_line_splits_into_trimmed_cells_without_a_bare_pipe(line):
    cells = parse_cells(line.replace("\n", " ").replace("\r", " "))
    assert cells and all(cell == cell.strip() for cell in cells)


# --- the slug function and the paths built from it ----------------------------------------------

@SETTINGS
@given(ANY_TEXT)
def test_any_name_gives_a_slug_that_cannot_leave_its_folder(name):
    slug = slugify(name)
    assert re.fullmatch(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?", slug)
    assert slugify(slug) == slug
    if slug:
        for path in (article_path(slug), entity_path("region", slug), entity_path("actor", slug)):
            _check_path(path)  # a page path inside the docs folder
            assert path.count("/") == 1


@SETTINGS
@given(ANY_TEXT)
def test_a_path_that_leaves_the_docs_folder_is_always_refused(text):
    for path in ("../" + text, "/" + text, text + "/../../x.md"):
        with pytest.raises(OutputFolderError):
            _check_path(path)


# --- escaping: what the reader sees is the text -------------------------------------------------

EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.details", "toc"]
CONTEXTS = {  # where the templates print text, and the elements Markdown must make of it
    "paragraph": ("{}\n", ["p"]),
    "list item": ("- {}\n", ["ul", "li"]),
    "heading": ("### {}\n", ["h3"]),
    "table cell": ("| head | x |\n| --- | --- |\n| {} | x |\n",
                   ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]),
    "admonition": ('!!! abstract "Summary"\n    {}\n', ["div", "p", "p"]),
    "quote": ("> “{}”\n", ["blockquote", "p"]),
    "link text": ("[{}](x.md)\n", ["p", "a"]),
    "block": ('<div class="briefing-block" id="p1" markdown="1">\n\n{}\n\n</div>\n', ["div", "p"]),
}
FRAME = {"table cell": ("head x", "x"), "admonition": ("Summary", ""), "quote": ("“", "”")}


class _Seen(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _render(source: str) -> _Seen:
    seen = _Seen()
    seen.feed(markdown.markdown(source, extensions=EXTENSIONS))
    seen.close()
    return seen


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT, st.sampled_from(sorted(CONTEXTS)))
def test_escaped_text_renders_as_exactly_that_text(text, context):
    expected = printable(text)
    assume(expected)
    template, tags = CONTEXTS[context]
    seen = _render(template.format(md(text)))
    before, after = FRAME.get(context, ("", ""))
    shown = " ".join("".join(seen.text).split())
    assert seen.tags == tags, (text, md(text))
    if context == "quote":
        assert shown == f"“{expected}”", (text, md(text))
    else:
        assert shown == " ".join(f"{before} {expected} {after}".split()), (text, md(text))


@settings(max_examples=200, deadline=None)
@given(HOSTILE_TEXT, st.sets(st.integers(0, 30), max_size=4))
def test_highlighted_mentions_show_the_text_and_bold_only_the_mentions(text, chosen):
    """Mentions are whole words; bolding any of them never changes what the reader sees."""
    text = printable(text)
    assume(text)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    spans = [words[i] for i in sorted(chosen) if i < len(words)]
    seen = _render(f"- {highlight(text, spans)} [¶](x.md)\n")
    assert [tag for tag in seen.tags if tag != "strong"] == ["ul", "li", "a"], (text, spans)
    assert seen.tags.count("strong") == len(spans), (text, spans, str(highlight(text, spans)))
    assert " ".join("".join(seen.text).split()) == f"{text} ¶"


PLAINISH = st.lists(st.sampled_from(["Kyiv", "Kharkiv", "Zelensky's", "Selenskyj", "troops", "’s", "“", "”", "\"", "'",
                                     ",", ";", ".", ":", "?", "=", "~", "-", "/", "@", "$", "€", "£", "%", "^", "1",
                                     "45,000", "Łódź", "Москва", "é", "×", " ", "  ", "\t", "_", "*", "#", "1.",
                                     "- ", "? ", "= ", "&", "<", "|"]), max_size=12).map("".join)


@SETTINGS
@given(st.one_of(PLAINISH, ANY_TEXT))
def test_md_fast_path_gives_what_the_long_way_gives(text):
    """``md`` returns plain text unchanged without the escaping passes: only when those passes
    would have changed nothing."""
    from generator.escaping import _escaped
    assert md(text) == _escaped(text), text
