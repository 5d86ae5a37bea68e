"""Rendering: Jinja2 templates from ``templates/`` turn views into Markdown pages.

Templates are loaded only from the templates folder; article text is data, never template
source. Every value a template prints is escaped for Markdown and HTML unless it is Markup
(links built by planning, text already escaped by ``escaping``).
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from .escaping import attr, md
from .model import Corpus
from .overrides import Overrides
from .planning import plan_pages
from .views import VIEWS, Context

# Pages in the theme's search (Material's, one index the browser downloads whole): the home
# page, the indexes of regions, actors and matrices, and every region, actor and matrix page
# (their bulky sections are marked data-search-exclude in the templates). Article pages, the
# article index and the figure and quote lists grow with the corpus: the full-text index that
# `briefing build` makes with Pagefind, downloaded in small chunks, searches the articles. The
# archive pages (every mention, figure and quote, page by page) and the pages of conflicting
# figures (every claim) are left out like article pages.
SEARCHED_KINDS = ("home", "section", "region", "actor", "matrix")
SEARCHED_EXCEPT = ("articles/index.md",)

TEMPLATE_FOR = {"home": "home.md.j2", "section": "section.md.j2", "region": "entity.md.j2",
                "actor": "entity.md.j2", "matrix": "matrix.md.j2", "article": "article.md.j2",
                "conflict": "conflict.md.j2", "figures": "figures.md.j2", "quotes": "quotes.md.j2",
                "archive": "archive.md.j2"}


def default_templates() -> Path:
    """templates/ beside the package (a source checkout), else the copy shipped inside it."""
    beside = Path(__file__).resolve().parent.parent / "templates"
    return beside if beside.is_dir() else Path(str(resources.files("generator") / "templates"))


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, printing a value as ``str(finalize(value))`` where it would print
    ``escape(finalize(value))``: ``_finalize`` returns Markup for every value, so the escape
    could only copy it (two calls of Python code and a new string for each of the million values
    the 1,000-article benchmark site prints). Inside ``{% autoescape %}`` blocks (the templates
    have none) Jinja's own code is kept. Were a later Jinja to stop calling this hook, values
    would be copied again, to the same text (``site_tests/test_rendering.py`` would say so)."""

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is not None:
            self.write("str(" + finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _ViewEnvironment(jinja2.Environment):
    """Jinja's environment, reading a view's keys first.

    Views are plain dicts, and Jinja looks ``item.url`` up as an attribute before it tries a key:
    on a dict that raises and catches an AttributeError for every value a template prints (12%
    of rendering the 1,000-article benchmark site). Here a dict's key comes first. The one
    difference is a key named like a dict method (``items``, ``get``…): no view has one, and the
    golden pages would show it."""

    code_generator_class = _CodeGenerator

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(templates: Path) -> jinja2.Environment:
    env = _ViewEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # macro output stays Markup; values are escaped for Markdown by finalize
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a template is read once per run: no file check for every page
    )
    env.filters["md"] = md
    env.filters["attr"] = attr
    env.filters["join"] = _join
    return env


def _join(items, separator: str = "") -> Markup:
    """Jinja's join, but escaping each item for Markdown rather than for HTML."""
    return Markup(separator).join(md(item) for item in items)


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if type(value) is str:
        return _md_text(value)
    return md(value)


@lru_cache(maxsize=1 << 16)
def _md_text(value: str) -> Markup:
    """``md`` of text, remembered: titles, names and figures are printed on many pages."""
    return md(value)


def render_site(corpus: Corpus, overrides: Overrides, templates: Path | None = None) -> dict[str, str]:
    """Every page of the site as {path: Markdown text}; nothing is written here."""
    renderer = Renderer(corpus, overrides, templates)
    pages = {page.path: renderer.render(page) for page in plan_pages(corpus)}
    pages.update(static_files())
    return dict(sorted(pages.items()))


class Renderer:
    """Renders one page at a time (``render_site`` renders them all; ``output`` spreads them
    over worker processes), sharing the lookups of one build."""

    def __init__(self, corpus: Corpus, overrides: Overrides, templates: Path | None = None):
        self.env = environment(templates or default_templates())
        self.ctx = Context.build(corpus, overrides)

    def render(self, page) -> str:
        view = VIEWS[page.kind](self.ctx, page)
        text = self.env.get_template(TEMPLATE_FOR[page.kind]).render(page=page, **view)
        searched = page.kind in SEARCHED_KINDS and page.path not in SEARCHED_EXCEPT
        return page_meta(view.get("title") or page.title, not searched) + _tidy(text)


def page_meta(title: str, exclude_from_search: bool = False) -> str:
    """Front matter naming the page, HTML-escaped: themes print it into <title> and the nav
    unescaped, so an article title must never reach them as markup. ``exclude_from_search``
    keeps the page out of the theme's search index (Material's ``search: exclude`` page meta)."""
    safe = html.escape(" ".join(str(title).split()), quote=True)
    search = "search:\n  exclude: true\n" if exclude_from_search else ""
    return "---\ntitle: " + json.dumps(safe, ensure_ascii=False) + "\n" + search + "---\n\n"


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and end with one newline."""
    lines, blank = [], 0
    for line in text.split("\n"):
        blank = blank + 1 if not line.strip() else 0
        if blank <= 1:
            lines.append(line.rstrip())
    return "\n".join(lines).strip("\n") + "\n"


def static_files() -> dict[str, str]:
    """Assets copied into the docs folder (script and style for index tables)."""
    assets = default_templates() / "assets"
    return {f"assets/{p.name}": p.read_text("utf-8") for p in sorted(assets.iterdir()) if p.is_file()}
