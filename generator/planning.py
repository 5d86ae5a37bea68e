"""Page planning: the one place where every page's path (and so its URL) is decided.

Two pages claiming one path is an error. Links between pages are made relative with
``href`` so the site works from any base URL and offline.

Long lists are paged (issue 5). A region or actor page, a matrix page, figures.md and quotes.md
show what the latest ``LATEST_SHOWN`` articles say and link to archive pages that hold
everything, each page the items of ``CHUNK_ARTICLES`` articles:
``<section>/<entity-id>/mentions/<n>.md``, ``matrices/<matrix-id>/<n>.md``, ``figures/<n>.md``,
``quotes/<n>.md`` (n = 1, 2, ...). Archive pages take the articles oldest
first, by (date, id), so that a new article (usually the newest) changes the last page only
and an edited article changes only the page it is on. An archive exists only when there are
more than ``LATEST_SHOWN`` articles to show.
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


LATEST_SHOWN = 20  # articles whose items an entity or matrix page, figures.md and quotes.md show
# Articles per archive page. 25 keeps an archive page near 27 kB of HTML, theme included (50
# made 47 kB); at 10,000 articles the 39,000 pages average 29 kB.
CHUNK_ARTICLES = 25


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, with forward slashes
    kind: str  # home | section | region | actor | matrix | article | conflict | figures | quotes | archive
    key: str  # the id of what it shows ("" for home and sections; an archive: its owner's key)
    title: str
    # An archive page: the page it continues (``owner``), its number (``part``, from 1), whether
    # it is the last, the position of its first article and its articles, oldest first. Only
    # these (not the number of pages) are in it, so that a page after it does not change it.
    owner: str = ""
    part: int = 0
    last: bool = False
    first: int = 0
    articles: tuple[str, ...] = ()


def entity_path(entity_type: str, entity_id: str) -> str:
    return f"{'regions' if entity_type == 'region' else 'actors'}/{entity_id}.md"


def matrix_path(matrix_id: str) -> str:
    return f"matrices/{matrix_id}.md"


def conflict_path(conflict_id: str) -> str:
    return f"figures/conflicts/{conflict_id}.md"


def conflict_title(topic: str) -> str:
    return f"Conflicting figures: {topic}"


def article_path(article_id: str) -> str:
    return f"articles/{article_id}.md"


def archive_path(owner: str, part: int) -> str:
    """Archive page ``part`` of a page: regions/x.md → regions/x/mentions/2.md, figures.md → figures/2.md."""
    stem = owner[: -len(".md")]
    return f"{stem}/mentions/{part}.md" if owner.startswith(("regions/", "actors/")) else f"{stem}/{part}.md"


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
    pages += [Page(conflict_path(c.id), "conflict", c.id, conflict_title(c.topic)) for c in corpus.conflicts]
    for parts in archives(corpus).values():
        pages += parts
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


# --- archive pages ---------------------------------------------------------------------------------

_ARCHIVES: dict = {}  # the last corpus's archives: planning, checking and views ask on one corpus


def archives(corpus: Corpus) -> dict[str, tuple[Page, ...]]:
    """The archive pages of every page that has them: {owner path: its archive pages in order}."""
    # A corpus given again with other warnings (``dataclasses.replace``) shares these tuples.
    inputs = (corpus.articles, corpus.entities, corpus.mentions, corpus.matrices, corpus.quotes, corpus.figures)
    settings = (LATEST_SHOWN, CHUNK_ARTICLES)
    known = _ARCHIVES.get("inputs")
    if known is None or any(a is not b for a, b in zip(known, inputs)) or _ARCHIVES["settings"] != settings:
        _ARCHIVES.update(inputs=inputs, settings=settings, value=_archives(corpus))
    return _ARCHIVES["value"]


def article_dates(corpus: Corpus) -> dict[str, str]:
    """Each article's date, "" when undated: with its id, what orders articles oldest to newest."""
    return {a.id: a.meta.date or "" for a in corpus.articles}


def oldest_first(dates: dict[str, str]) -> dict[str, int]:
    """Each article's rank from oldest to newest, by (date, id): a sort key (``__getitem__``)."""
    return {a: n for n, a in enumerate(sorted(dates, key=lambda a: (dates[a], a)))}


def _archives(corpus: Corpus) -> dict[str, tuple[Page, ...]]:
    dates = article_dates(corpus)
    rank = oldest_first(dates)
    names = {e.id: e.name for e in corpus.entities}
    out = {}
    for owner, (name, what, article_ids) in _archived_lists(corpus).items():
        ordered = sorted(article_ids, key=rank.__getitem__)
        if len(ordered) > LATEST_SHOWN:
            out[owner] = _chunk_pages(owner, name or names[owner_key(owner)], what, ordered, dates)
    return out


def owner_key(owner: str) -> str:
    """The key of the page an archive continues: an entity or matrix id, or "" for figures.md and
    quotes.md."""
    return posixpath.basename(owner)[: -len(".md")] if "/" in owner else ""


def _archived_lists(corpus: Corpus) -> dict[str, tuple[str, str, set[str]]]:
    """{owner path: (name, what its archive pages list, the ids of the articles they cover)};
    an entity's name is "" (taken from the entity). An entity's articles: those that mention it,
    hold its table rows, its positions in a matrix, its quotes or figures about it; a matrix's:
    those whose comparison tables it merges."""
    of: dict[str, set[str]] = {e.id: set() for e in corpus.entities}
    for m in corpus.mentions:
        of.setdefault(m.entity, set()).add(m.article)
    for article in corpus.articles:
        for table in article.tables:
            for _, region in table.row_entities:
                of.setdefault(region, set()).add(article.id)
    for matrix in corpus.matrices:
        for row in matrix.rows:
            for actor, cells in row.cells:
                of.setdefault(actor, set()).update(c.article for c in cells)
    for q in corpus.quotes:
        if q.speaker is not None:
            of.setdefault(q.speaker, set()).add(q.article)
    for f in corpus.figures:
        for entity_id in (f.actor, f.region):
            if entity_id is not None:
                of.setdefault(entity_id, set()).add(f.article)
    types = {e.id: e.type for e in corpus.entities}
    out = {entity_path(types[e], e): ("", "mentions in articles", ids) for e, ids in of.items() if e in types}
    for matrix in corpus.matrices:
        out[matrix_path(matrix.id)] = (matrix.title, "positions in articles", matrix_articles(matrix))
    out[SECTIONS["figures"][0]] = ("Figures", "articles", {f.article for f in corpus.figures})
    out[SECTIONS["quotes"][0]] = ("Quotes", "articles", {q.article for q in corpus.quotes})
    return out


def matrix_articles(matrix) -> set[str]:
    """The articles a matrix merges tables or cells from."""
    return {c.article for row in matrix.rows for _, cells in row.cells for c in cells} | {a for a, _ in matrix.sources}


def _chunk_pages(owner: str, name: str, what: str, ordered: list[str], dates: dict[str, str]) -> tuple[Page, ...]:
    chunks = [tuple(ordered[i:i + CHUNK_ARTICLES]) for i in range(0, len(ordered), CHUNK_ARTICLES)]
    pages = []
    for n, ids in enumerate(chunks, 1):
        first = (n - 1) * CHUNK_ARTICLES + 1
        title = f"{name}: {what} {chunk_label(first, ids, dates)}"
        pages.append(Page(archive_path(owner, n), "archive", owner_key(owner), title,
                          owner=owner, part=n, last=n == len(chunks), first=first, articles=ids))
    return tuple(pages)


def chunk_label(first: int, ids: tuple[str, ...], dates: dict[str, str]) -> str:
    """'26–50 (2024-08-03 – 2024-09-10)': an archive page's articles, as its title ends and the
    links to it read."""
    return span(first, len(ids)) + date_range(dates[ids[0]], dates[ids[-1]])


def span(first: int, count: int) -> str:
    """'51–100', or '51' for one."""
    return f"{first}–{first + count - 1}" if count > 1 else str(first)


def date_range(first: str, last: str) -> str:
    """' (2024-08-03 – 2024-09-10)', ' (2024-08-03)', or '' when the articles are undated."""
    if not last:
        return ""
    if not first:
        return f" (undated – {last})"
    return f" ({last})" if first == last else f" ({first} – {last})"
