"""The workers' one-scan inline passes (generator/fast_inline.py) give Python-Markdown's HTML.

Each text is converted twice, with mkdocs.yml's extensions: by the workers' Markdown (the
unused patterns left out, the one-scan processor in place) and by the same Markdown with
Python-Markdown's own inline processor put back. The two must give the same HTML and table of contents, on hand-made
edge cases, on texts made of every kind of inline token, and on every page generated from the
sample corpus and the hostile one.
"""
from __future__ import annotations

import subprocess
import sys

import markdown
import markdown.serializers
import markdown.util
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import inlinepatterns, treeprocessors
from markdown.extensions import Extension

from conftest import FIXTURES, ROOT
from generator import fast_inline
from generator.mkdocs_parallel import _generated_markdown_only

SAMPLE_CONTENT = ROOT / "content"
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.details", "toc"]


class _WithoutOneScan(Extension):
    """After the workers' extension: Python-Markdown's own inline processor put back."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(treeprocessors.InlineProcessor(md), "inline", 20)


def _markdown(fast: bool) -> markdown.Markdown:
    """The workers' Markdown, with the one scan (``fast``) or Python-Markdown's own processor."""
    return markdown.Markdown(extensions=EXTENSIONS + [_generated_markdown_only()] + ([] if fast else [_WithoutOneScan()]),
                             extension_configs={"toc": {"permalink": True}})


def convert(text: str, fast: bool) -> tuple[str, list]:
    md = _markdown(fast)
    return md.convert(text), md.toc_tokens


def assert_same(text: str) -> None:
    assert convert(text, fast=True) == convert(text, fast=False), repr(text)


CASES = {
    "mention_with_bold_entity_and_paragraph_link":
        "- Fighting continued near Ocheretyne, towards **Pyongyang**. [¶](../../../articles/000653-2da3f3.md#p12)",
    "article_title_link_in_bold_then_attributes":
        "**[Pressure builds around Bern](../../../articles/000667-5033a1.md)** · 2024-05-01\n"
        "{ #article-77 .briefing-source }",
    "escapes_of_markdown_punctuation": r"a \* b \_ c \[d\] \(e\) \# \+ \- \. \! \| \\ \` \{ \}",
    "backslash_before_a_character_it_cannot_escape": r"C:\path \a \& \&amp; \<b>tag</b> ends with \\",
    "backslash_at_the_end_of_a_line": "one \\\ntwo \\",
    "entities_named_numeric_and_hex": "&amp; &lt;b&gt; &#45; &#x2014; & alone &nope",
    "entity_inside_link_text_and_bold": "[Smith &amp; Sons](a.md) **R&amp;D** *&#42;*",
    "escape_inside_link_text": r"[a \[b\] \*c\*](x.md#p1)",
    "bold_link_inside_emphasis": "*see [the archive](#archive) and **more***",
    "emphasis_sentence_with_link": "*The mentions in the latest 20 of 31 articles; all are on the [archive pages](#archive).*",
    "several_bold_pairs": "**a** and **b**, then **c**. End **d**",
    "bold_next_to_letters": "x**a**y and (**b**) and \"**c**\"",
    "bold_around_space_is_left": "** a ** and **b **",
    "closer_after_space": "**b ** c and *d * e",
    "opener_before_space": "** a** b and * c* d",
    "one_run_left_after_the_pairs": "**a** and *b* then c* and **d** *",
    "lone_asterisks": "* a * b ** c",
    "three_asterisks": "***both*** and ***x** y*",
    "mismatched_runs": "**a* and *b**",
    "underscores": "_a_ __b__ snake_case \\_x\\_",
    "plain_html_tags": "a <small>— [¶3](a.md#p3)</small> b <b>c</b>",
    "html_tags_with_attributes_or_comments": 'a <span class="x">b</span> <br/> <!-- c --> <a href="d">e</a>',
    "image_syntax": "![alt](img.png) and ![x",
    "bracket_that_is_no_link": "[not a link] and [x] (y) and [z]",
    "stray_closing_bracket": "a ] b",
    "nested_brackets_in_link_text": "[a [b] c](x.md)",
    "link_with_title_or_space_or_angle_target": '[a](x.md "T") [b](<x y.md>) [c]( x.md ) [d](x(1).md)',
    "link_target_with_escape_or_entity": r"[a](x\_y.md) [b](x&amp;y.md)",
    "empty_link_text": "[](x.md) and [**](y.md)",
    "link_inside_link": "[a [b](c.md)](d.md)",
    "link_inside_link_in_bold": "**[a [b](c.md)](d.md)** and *[e [f](g.md)](h.md)*",
    "heading_with_attributes_and_entity": "# Kursk &amp; Belgorod: **mentions** { #title }\n\n## A *b* [c](d.md)",
    "table_with_escaped_pipes_and_links":
        "| Figure | Value | Source |\n| --- | ---: | --- |\n| a \\| b | 8,000 | [¶6](x.md#p6) |\n| **c** | &#45;3 | [x](y.md) |",
    "admonition_and_details": "!!! note \"N\"\n    a **b** [c](d.md)\n\n??? info \"I\"\n    e \\* f",
    "markdown_in_html_block": "<div markdown>\na **b** [c](d.md)\n</div>\n\n<div>raw **x**</div>",
    "control_placeholders_in_text": "a \x02klzzwxh:0000\x03 b \x02wzxhzdk:0\x03 c",
    "unicode_spaces_around_bold": "a **\u00a0b** c **d\u00a0** e",
    "multiline_list_item": "- a **b**\n  c [d](e.md)\n- f",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_edge_case_converts_as_python_markdown_converts_it(text):
    assert_same(text)


TOKENS = ["a", "b c", " ", "\n", "**", "*", "_", "__", "\\*", "\\_", "\\[", "\\]", "\\a", "\\", "\\\\",
          "&amp;", "&#45;", "&x", "&", "[", "]", "(", ")", "[t](u.md#p1)", "[**b**](x/y.md)", "<b>", "</b>",
          "!", "![", "|", "{ #id }", "- ", "# ", "·", "\u00a0", "'", '"']


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=24))
def test_any_text_of_inline_tokens_converts_as_python_markdown_converts_it(tokens):
    assert_same("".join(tokens))


def test_generated_text_never_reaches_python_markdowns_own_inline_patterns(monkeypatch):
    """The one-scan path is the one taken for what the templates write (else the comparisons
    above would hold trivially)."""
    def refuse(self, m, data):
        raise AssertionError(f"{type(self).__name__} ran on {data!r}")

    for kind in (inlinepatterns.EscapeInlineProcessor, inlinepatterns.LinkInlineProcessor,
                 inlinepatterns.HtmlInlineProcessor, inlinepatterns.DelimiterProcessor):
        monkeypatch.setattr(kind, "handleMatch", refuse)
    for name in ("mention_with_bold_entity_and_paragraph_link", "article_title_link_in_bold_then_attributes",
                 "escapes_of_markdown_punctuation", "entity_inside_link_text_and_bold",
                 "emphasis_sentence_with_link", "several_bold_pairs", "table_with_escaped_pipes_and_links",
                 "plain_html_tags"):
        convert(CASES[name], fast=True)
    with pytest.raises(AssertionError, match="DelimiterProcessor ran"):
        convert(CASES["three_asterisks"], fast=True)
    with pytest.raises(AssertionError, match="HtmlInlineProcessor ran"):
        convert(CASES["html_tags_with_attributes_or_comments"], fast=True)


def _inline_in(ancestors: list[str], text: str, fast: bool) -> str:
    """One text through the inline processor's own method, as if it stood in ``ancestors``."""
    md = _markdown(fast)
    processor = md.treeprocessors["inline"]
    processor.stashed_nodes, processor.ancestors, processor._fast = {}, list(ancestors), True
    data = processor._InlineProcessor__handleInline(text)
    nodes = {key: node if isinstance(node, str) else markdown.serializers.to_html_string(node)
             for key, node in processor.stashed_nodes.items()}

    def resolved(text: str) -> str:  # each placeholder replaced by what it stands for (the numbers differ)
        return markdown.util.INLINE_PLACEHOLDER_RE.sub(lambda m: resolved(nodes[m.group(1)]), text)

    return resolved(data), md.htmlStash.rawHtmlBlocks


def test_text_inside_a_link_is_handled_as_python_markdown_handles_it():
    """The text of a link is handled again when the link is inside bold: Python-Markdown's
    patterns exclude no ancestor, so a bracket there still makes a link."""
    text = "see [x](y.md) **b** \\* &amp;"
    assert _inline_in(["p", "strong", "a"], text, fast=True) == _inline_in(["p", "strong", "a"], text, fast=False)
    assert _inline_in(["p"], text, fast=True) == _inline_in(["p"], text, fast=False)


def test_with_other_inline_patterns_it_leaves_the_work_to_python_markdown():
    md = markdown.Markdown(extensions=EXTENSIONS)
    fast_inline.install(md)  # every pattern still registered: not the workers' set
    assert md.convert("**a** [b](c.md) \\*") == markdown.markdown("**a** [b](c.md) \\*", extensions=EXTENSIONS)
    assert md.treeprocessors["inline"]._fast is False


@pytest.mark.parametrize("content", [SAMPLE_CONTENT, FIXTURES / "hostile" / "renders"], ids=["sample", "hostile"])
def test_every_generated_page_converts_as_python_markdown_converts_it(tmp_path, content):
    docs = tmp_path / "docs"
    result = subprocess.run([sys.executable, "-m", "generator", "generate", "--content", str(content),
                             "--docs-dir", str(docs), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text("utf-8").split("---\n", 2)[-1]
        assert convert(text, fast=True) == convert(text, fast=False), page
