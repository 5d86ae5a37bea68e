"""Render the pages and write the docs folder: on worker processes, one page at a time, and
only the pages whose inputs changed since the last run.

The result is the one ``writing.write_pages(rendering.render_site(...))`` gives (its checks, its
two-phase write, its report), without holding the whole site in memory: each worker renders a
page, compares it with the file already there and, when it differs, writes it under a
temporary name beside it. Only when every page is done are the temporary files renamed into
place and stale files deleted; a failure on the way removes the temporary files and leaves the
docs folder as it was.

Incremental: while a page renders, its view notes every lookup it makes (``views.recording``):
the articles, entities, mention lists, matrices… it reads. A manifest in the cache keeps, per
page, those inputs, a fingerprint of the page itself (code, templates, overrides, its place)
and the size and time of the file written, and, once for all pages, a fingerprint of every
input's value. On the next run the inputs whose fingerprint, taken on the new corpus, differs
are found once, and a page is rendered again only when it read one of them, its own
fingerprint differs or its file is not the one written (``Inputs`` defines the
fingerprints: an article's is its analysis cache key, which covers everything the article
yields). An input may cover articles, and then the page's reads of them are not noted one by
one (``views.cover``): an entity page's ("mentions", id) is the articles mentioning it, an
archive page's ("chunk", path) its articles (with the entity's positions in them), and such an
input has changed when its articles have or one of them was analysed anew, so that a page's
fingerprint costs what the page shows, not what its entity's articles hold. Pages that read
the whole corpus (home, indexes, figures.md, quotes.md, all of them kept small: long lists are
on archive pages) are always rendered.
The code version, the templates and the overrides are part of every fingerprint. Without a
cache, or with no manifest, every page is rendered.
"""
from __future__ import annotations

import hashlib
import marshal
import operator
import os
import stat
import sys
from dataclasses import fields
from pathlib import Path

from . import parallel, views
from .cache import Cache, key
from .model import Conflict, Corpus, MatrixCell
from .overrides import Overrides
from .planning import Page, chunk_label, matrix_path, plan_pages
from .progress import Progress
from .rendering import Renderer, static_files
from .writing import _TMP, OutputFolderError, WriteReport, _check_path, _claim, _delete_stale

_JOB: dict = {}  # what the workers need, set before they are forked
_ARTICLE = operator.attrgetter("article")


def write_site(corpus: Corpus, overrides: Overrides, templates: Path, docs_dir: Path, jobs: int = 1,
               progress: bool | None = False, cache: Cache | None = None,
               article_keys: dict[str, str] | None = None, stats: dict | None = None) -> WriteReport:
    renderer = Renderer(corpus, overrides, templates)
    pages = plan_pages(corpus)
    static = static_files()
    paths = sorted([p.path for p in pages] + list(static))
    for rel in paths:
        _check_path(rel)
    _claim(docs_dir)
    incremental = cache is not None and article_keys is not None and len(article_keys) == len(corpus.articles)
    entry = key("pages", str(docs_dir.resolve()), sys.version) if incremental else None  # marshal's format is Python's
    manifest, values, keys_then = _manifest(_load_manifest(cache, entry) if incremental else None)
    inputs = Inputs(renderer.ctx, article_keys or {}, _templates_digest(templates), keys_then) if incremental else None
    changed = inputs.changed(values) if incremental else set()
    todo, kept = [], {}
    folder = str(docs_dir)
    for i, page in enumerate(pages):
        known = manifest.get(page.path)
        if known is not None and changed.isdisjoint(known[0]) and known[1] == inputs.page(page):
            stamp = _same_file(os.path.join(folder, page.path), known)
            if stamp is not None:
                kept[page.path] = known if stamp == known[2:4] else known[:2] + stamp + known[4:]
                continue
        todo.append(i)
    _JOB.update(renderer=renderer, pages=pages, docs_dir=docs_dir, record=incremental)
    try:
        with Progress("rendering", len(todo), progress) as bar:
            results = parallel.pmap(_render_one, todo, bar.advance, jobs, _costs(todo, pages, manifest))
        staged = [_stage(docs_dir, rel, text)[:2] for rel, text in static.items()]
    except BaseException:
        for rel in paths:
            (docs_dir / (rel + _TMP)).unlink(missing_ok=True)
        raise
    finally:
        _JOB.clear()
    changed = sorted([rel for rel, written, *_ in results if written] + [rel for rel, written in staged if written])
    for rel in changed:
        os.replace(docs_dir / (rel + _TMP), docs_dir / rel)
    deleted = _delete_stale(docs_dir, set(paths))
    if incremental:
        for (rel, _, inputs_read, digest), i in zip(results, todo):
            if inputs_read is not None:
                kept[rel] = (inputs_read, inputs.page(pages[i])) + _stamp(docs_dir / rel) + (digest,)
        read = set().union(*(known[0] for known in kept.values()))
        cache.put_bytes("pages", entry, marshal.dumps({"format": MANIFEST_FORMAT, "pages": kept, "articles": inputs.keys,
                                                       "inputs": {item: inputs.item(item) for item in read}}))
    if stats is not None:
        stats.update(pages_rendered=len(todo), pages_skipped=len(pages) - len(todo))
    return WriteReport(tuple(changed), len(paths) - len(changed), tuple(deleted))


MANIFEST_FORMAT = 5  # 4: an input's articles by id, with every article's analysis key beside; 5: file digests


def _load_manifest(cache: Cache, entry: str):
    """The stored manifest, None when there is none or it cannot be read. It is kept with
    ``marshal`` (plain tuples, strings, numbers and dicts): written in a seventh of the time
    ``pickle`` takes (0.12 s instead of 0.84 s for the 39,600 pages of 10,000 articles)."""
    data = cache.get_bytes("pages", entry)
    try:
        return marshal.loads(data) if data is not None else None
    except (EOFError, ValueError, TypeError):  # damaged: every page is rendered
        return None


def _manifest(stored) -> tuple[dict, dict, dict]:
    """The pages of the last run's manifest, {path: (inputs read, page digest, size, mtime,
    digest of the file's bytes)},
    the fingerprints of their inputs then, {input: digest}, and each article's analysis key
    then, {article id: key}; empty for another format."""
    if not isinstance(stored, dict) or stored.get("format") != MANIFEST_FORMAT:
        return {}, {}, {}
    return stored["pages"], stored["inputs"], stored["articles"]


def _costs(todo: list[int], pages: list, manifest: dict) -> list[int] | None:
    """After an edit the pages to render are few and unequal (a matrix or the figures page takes
    a hundred times an article's): the size each page had, largest first, so that no large one
    is left to render alone at the end. None on a first run (no sizes known): pages in order."""
    if not manifest:
        return None
    return [manifest[pages[i].path][2] if pages[i].path in manifest else 0 for i in todo]


def _render_one(i: int) -> tuple[str, bool, tuple | None, bytes]:
    """Render page i and stage its file: (path, written, the inputs it read or None, digest of
    the file's bytes)."""
    page = _JOB["pages"][i]
    read = views.recording(_JOB["record"])
    try:
        text = _JOB["renderer"].render(page)
    finally:
        views.recording(False)
    rel, written, digest = _stage(_JOB["docs_dir"], page.path, text)
    return rel, written, (tuple(sorted(read, key=repr)) if read is not None and ("corpus",) not in read else None), digest


def _stage(docs_dir: Path, rel: str, text: str) -> tuple[str, bool, bytes]:
    """Write a page's new text beside it when it differs from the file there: (path, written,
    digest of its bytes)."""
    target = docs_dir / rel
    data = text.encode("utf-8")
    digest = _file_digest(data)
    if target.is_file() and not target.is_symlink() and target.stat().st_size == len(data) \
            and target.read_bytes() == data:
        return rel, False, digest
    if target.is_dir() or target.is_symlink():
        raise OutputFolderError(f"{target}: in the way of a generated page (a folder or link); remove it")
    target.parent.mkdir(parents=True, exist_ok=True)
    (docs_dir / (rel + _TMP)).write_bytes(data)
    return rel, True, digest


def _file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        found = path.stat()
    except OSError:
        return (-1, -1)
    return found.st_size, found.st_mtime_ns


def _same_file(path: str, known: tuple) -> tuple | None:
    """The file's (size, mtime) when it is the one the manifest says was written, else None.
    One ``lstat`` of its name when its size and time are those written (a regenerate asks it
    of every page: 39,000 at 10,000 articles); when only the time differs, as in a docs folder
    restored by a CI cache or copied, its bytes are compared by digest."""
    try:
        found = os.lstat(path)
    except OSError:
        return (-1, -1) if tuple(known[2:4]) == (-1, -1) else None
    stamp = (found.st_size, found.st_mtime_ns)
    if stat.S_ISLNK(found.st_mode) or found.st_size != known[2]:
        return None
    if stamp == tuple(known[2:4]):
        return stamp
    try:
        with open(path, "rb") as handle:
            same = _file_digest(handle.read()) == known[4]
    except OSError:
        return None
    return stamp if same else None


def _templates_digest(templates: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(templates).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class Inputs:
    """Fingerprints of a page's inputs (as ``views`` notes them) on the current corpus.

    An input that stands for articles (an entity's mentions, an archive page's articles…) is
    fingerprinted by their ids, in order; it has changed when they have, or when the analysis
    of one of them has (its key is not the one the manifest kept): a set lookup per article
    where looking every article's key up and joining them took most of the time of finding
    which inputs changed after an edit."""

    def __init__(self, ctx, article_keys: dict[str, str], templates: str, keys_then: dict[str, str] | None = None):
        self.ctx, self.keys = ctx, article_keys
        then = keys_then or {}
        # the articles analysed anew since the manifest (edited, added) or gone
        self.moved = {a for a, k in article_keys.items() if then.get(a) != k} | (then.keys() - article_keys.keys())
        self.base = repr((templates, repr(ctx._overrides)))
        self._base_hash = None
        self._memo: dict = {}
        self._ids: dict = {}
        self._archives: dict | None = None
        self._entities_positioned: set | None = None
        self._articles_of: dict | None = None
        self._matrices: dict = {}
        self._conflicts: dict = {}

    def page(self, page: Page) -> str:
        """What a page's text depends on besides its inputs: code, templates, overrides, the page
        (its fields as a tuple: the tuple's repr is made in C, the dataclass's by Python code,
        and a regenerate asks this of every page)."""
        if self._base_hash is None:
            self._base_hash = hashlib.sha256(self.base.encode("utf-8", "surrogatepass"))
        digest = self._base_hash.copy()
        digest.update(repr(_page_fields(page)).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def changed(self, stored: dict[tuple, bytes]) -> set[tuple]:
        """The inputs, of those the manifest fingerprinted, whose value has changed since."""
        return {item for item, digest in stored.items()
                if self.item(item) != digest or (item[0] in ARTICLE_LISTS and not self.moved.isdisjoint(self._ids[item]))}

    def item(self, item: tuple) -> bytes:
        """The fingerprint of one input's value, remembered: many pages read the same inputs."""
        found = self._memo.get(item)
        if found is None:
            value = repr((item, self._value(item))).encode("utf-8", "surrogatepass")
            found = self._memo[item] = hashlib.sha256(value).digest()
        return found

    def _articles(self, item: tuple, article_ids) -> str:
        """The ids of the articles an input stands for, in one string (kept for ``changed``)."""
        ids = self._ids[item] = tuple(article_ids)
        return " ".join(ids)

    def _value(self, item: tuple):
        kind = item[0]
        arg = item[1] if len(item) > 1 else None
        ctx = self.ctx
        if kind == "article":
            return self.keys.get(arg, "absent") if dict.__contains__(ctx.articles, arg) else "absent"
        if kind == "entity":
            return repr(dict.get(ctx.entities, arg))
        if kind == "count":
            return dict.get(ctx.counts, arg, 0)
        if kind == "mentions":
            return self._articles(item, self._mentioning().get(arg, ()))
        if kind in ("quotes_by_speaker", "figures_by_entity", "region_rows"):
            table = {"quotes_by_speaker": ctx.quotes_by_speaker, "figures_by_entity": ctx.figures_by_entity,
                     "region_rows": ctx.region_rows_of}[kind]
            objects = dict.get(table, arg, ())
            return self._articles(item, dict.fromkeys((row[0].id for row in objects) if kind == "region_rows"
                                                      else map(_ARTICLE, objects)))
        if kind == "conflicts_by_entity":
            return tuple(map(self._conflict, dict.get(ctx.conflicts_by_entity, arg, ())))
        if kind == "conflict":
            return self._conflict(dict.get(ctx.conflicts, arg))
        if kind == "matrix":
            return self._whole_matrix(dict.get(ctx.matrices, arg))
        if kind == "matrices_of":
            return tuple(self._whole_matrix(m) for m in dict.get(ctx.matrices_of, arg, ()))
        if kind == "chunk":  # an archive page: its articles, and its entity's positions in them
            page = self._archive_pages().get(arg)
            if page is None:
                self._ids[item] = ()
                return "absent"
            ids = self._articles(item, page.articles)
            if page.owner == matrix_path(page.key):  # a matrix's: its cells in them, by topic
                matrix = dict.get(ctx.matrices, page.key)
                return self._digest((ids, matrix.actors, [[(matrix.rows[n].topic, actor, _cell(c)) for n, actor, c
                                                           in ctx.cells_in.get((page.key, a), ())] for a in page.articles]))
            if page.key not in self._positioned():
                return ids
            positions = ctx.positions_in
            return self._digest((ids, [[(m, title, topic, _cell(c)) for m, title, topic, c in positions.get((page.key, a), ())]
                                       for a in page.articles]))
        if kind == "archive":  # a page's archive pages: what links to them show
            return tuple((p.path, chunk_label(p.first, p.articles, ctx._dates)) for p in dict.get(ctx.archives, arg, ()))
        if kind == "overrides":
            return "in base"
        return object()  # unknown: never equal, the page is rendered

    def _mentioning(self) -> dict:
        """{entity id: the articles mentioning it, in the order of its mentions}, from the keys of
        ``mentions_in`` (made in that order), not from 750,000 mentions again."""
        if self._articles_of is None:
            self._articles_of = {}
            for entity, article in dict.keys(self.ctx.mentions_in):
                self._articles_of.setdefault(entity, []).append(article)
        return self._articles_of

    def _positioned(self) -> set:
        """The entities with a position in some matrix (most have none)."""
        if self._entities_positioned is None:
            self._entities_positioned = {entity for entity, _ in self.ctx.positions_in}
        return self._entities_positioned

    def _archive_pages(self) -> dict:
        if self._archives is None:
            self._archives = {p.path: p for pages in dict.values(self.ctx.archives) for p in pages}
        return self._archives

    def _digest(self, value) -> str:
        """The SHA-256 of a value's repr: the fingerprint of what a page reads."""
        return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()

    def _conflict(self, conflict) -> str:
        """A conflict's fingerprint, made once (an entity's page and the conflict's own read it),
        from plain tuples: a record's or a dataclass's repr is Python code, a tuple's is C's."""
        if conflict is None:
            return self._digest(None)
        found = self._conflicts.get(conflict.id)
        if found is None or found[0] is not conflict:
            value = (_conflict_fields(conflict), tuple(map(tuple, conflict.claims)))
            found = self._conflicts[conflict.id] = (conflict, self._digest(value))
        return found[1]

    def _whole_matrix(self, matrix) -> str:
        """A matrix's fingerprint, made once: the largest at 10,000 articles has 47,000 cells, and
        the pages of each of its actors read it too."""
        if matrix is None:
            return self._digest(None)
        found = self._matrices.get(matrix.id)
        if found is None or found[0] is not matrix:
            found = self._matrices[matrix.id] = (matrix, self._digest(matrix))
        return found[1]


ARTICLE_LISTS = frozenset({"mentions", "quotes_by_speaker", "figures_by_entity", "region_rows", "chunk"})  # see ``Inputs``
_page_fields = operator.attrgetter(*(f.name for f in fields(Page)))
_cell = operator.attrgetter(*(f.name for f in fields(MatrixCell)))  # a cell's values as a tuple: a quicker repr
_conflict_fields = operator.attrgetter(*(f.name for f in fields(Conflict) if f.name != "claims"))  # likewise, but its claims
