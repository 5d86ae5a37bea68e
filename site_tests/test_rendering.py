"""The Jinja environment pages are rendered with: every value printed once, escaped for Markdown."""
from __future__ import annotations

from markupsafe import Markup

from generator.escaping import md, safe
from generator.rendering import environment

TEMPLATE = ('{% macro star(x) %}*{{ x }}*{% endmacro %}'
            '{{ text }}|{{ markup }}|{{ nothing }}|{{ number }}|{{ star("<i>") }}|{{ items | join(", ") }}')


def _environment(tmp_path):
    (tmp_path / "page.md.j2").write_text(TEMPLATE, "utf-8")
    return environment(tmp_path)


def test_values_are_escaped_for_markdown_once(tmp_path):
    page = _environment(tmp_path).get_template("page.md.j2")
    text = page.render(text="a*b <c> & [d]", markup=Markup("**bold**"), nothing=None, number=3,
                       items=["x_y", Markup("*z*")])
    assert text == r"a\*b &lt;c&gt; &amp; \[d\]|**bold**||3|*&lt;i&gt;*|x\_y, *z*"


def test_printed_values_are_not_escaped_a_second_time(tmp_path):
    """``finalize`` gives Markup for every value: the compiled page prints it without Jinja's
    ``escape`` (which could only copy it). Fails if Jinja's compiler no longer calls the hook."""
    env = _environment(tmp_path)
    source = env.compile(TEMPLATE, raw=True)
    assert "environment.finalize(" in source
    assert "escape(" not in source


def test_autoescape_block_keeps_the_markdown_escaping(tmp_path):
    (tmp_path / "raw.md.j2").write_text("{% autoescape false %}{{ text }}{% endautoescape %}", "utf-8")
    assert environment(tmp_path).get_template("raw.md.j2").render(text="<b>*") == r"&lt;b&gt;\*"


def test_safe_text_is_markup_of_the_same_characters():
    assert type(safe("a&b")) is Markup and safe("a&b") == "a&b"
    assert type(md("plain words")) is Markup and md("plain words") == "plain words"
