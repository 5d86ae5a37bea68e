"""Rendering: Jinja2 templates from ``templates/`` turn views into Markdown pages.

Templates are loaded only from the templates folder; article text is data, never template
source. Every value a template prints is escaped for Markdown and HTML unless it is Markup
(links built by planning, text already escaped by ``escaping``).
"""
from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from .escaping import attr, md
from .model import Corpus
from .overrides import Overrides
from .planning import plan_pages
from .views import VIEWS, Context

TEMPLATE_FOR = {"home": "home.md.j2", "section": "section.md.j2", "region": "entity.md.j2",
                "actor": "entity.md.j2", "matrix": "matrix.md.j2", "article": "article.md.j2",
                "figures": "figures.md.j2", "quotes": "quotes.md.j2"}


def default_templates() -> Path:
    """templates/ beside the package (a source checkout), else the copy shipped inside it."""
    beside = Path(__file__).resolve().parent.parent / "templates"
    return beside if beside.is_dir() else Path(str(resources.files("generator") / "templates"))


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # macro output stays Markup; values are escaped for Markdown by finalize
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
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
    return md(value)


def render_site(corpus: Corpus, overrides: Overrides, templates: Path | None = None) -> dict[str, str]:
    """Every page of the site as {path: Markdown text}; nothing is written here."""
    env = environment(templates or default_templates())
    ctx = Context.build(corpus, overrides)
    pages = {}
    for page in plan_pages(corpus):
        view = VIEWS[page.kind](ctx, page)
        text = env.get_template(TEMPLATE_FOR[page.kind]).render(page=page, **view)
        pages[page.path] = page_meta(view.get("title") or page.title) + _tidy(text)
    pages.update(static_files())
    return dict(sorted(pages.items()))


def page_meta(title: str) -> str:
    """Front matter naming the page, HTML-escaped: themes print it into <title> and the nav
    unescaped, so an article title must never reach them as markup."""
    safe = html.escape(" ".join(str(title).split()), quote=True)
    return "---\ntitle: " + json.dumps(safe, ensure_ascii=False) + "\n---\n\n"


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
