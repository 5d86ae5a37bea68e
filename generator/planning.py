"""Page planning: the one place where every page's path (and so its URL) is decided.

Two pages claiming one path is an error. Links between pages are made relative with
``href`` so the site works from any base URL and offline.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .errors import BriefingError, Diagnostic
from .model import Corpus

HOME = "index.md"
SECTIONS = {
    "regions": ("regions/index.md", "Regions"),
    "actors": ("actors/index.md", "Actors"),
    "matrices": ("matrices/index.md", "Position matrices"),
    "articles": ("articles/index.md", "Articles"),
    "figures": ("figures.md", "Figures"),
    "quotes": ("quotes.md", "Quotes"),
}


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, with forward slashes
    kind: str  # home | section | region | actor | matrix | article | figures | quotes
    key: str  # the id of what it shows ("" for home and sections)
    title: str


def entity_path(entity_type: str, entity_id: str) -> str:
    return f"{'regions' if entity_type == 'region' else 'actors'}/{entity_id}.md"


def matrix_path(matrix_id: str) -> str:
    return f"matrices/{matrix_id}.md"


def article_path(article_id: str) -> str:
    return f"articles/{article_id}.md"


def href(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """Relative Markdown link from one page to another (and an anchor on it)."""
    rel = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{rel}#{anchor}" if anchor else rel


def plan_pages(corpus: Corpus) -> list[Page]:
    """Every page of the site, sorted by path; raises when two claim one path."""
    pages = [Page(HOME, "home", "", "Briefing")]
    pages += [Page(path, "section" if "/" in path else name, name, title) for name, (path, title) in SECTIONS.items()]
    pages += [Page(entity_path(e.type, e.id), e.type, e.id, e.name) for e in corpus.entities]
    pages += [Page(matrix_path(m.id), "matrix", m.id, m.title) for m in corpus.matrices]
    pages += [Page(article_path(a.id), "article", a.id, a.title) for a in corpus.articles]
    _check_unique(pages)
    return sorted(pages, key=lambda p: p.path)


def _check_unique(pages: list[Page]) -> None:
    seen: dict[str, Page] = {}
    problems = []
    for page in pages:
        other = seen.setdefault(page.path, page)
        if other is not page:
            problems.append(Diagnostic(page.path, None, None,
                                       f"two pages claim this path: {other.kind} '{other.key or other.title}' "
                                       f"and {page.kind} '{page.key or page.title}'"))
    if problems:
        raise BriefingError(problems)
