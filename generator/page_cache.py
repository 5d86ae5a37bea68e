"""The page cache of ``briefing build``: what building each MkDocs page produced, kept between builds.

MkDocs converts and renders every page on every build, and most pages are the same as the last
time: an edited article changes its own page and those of the entities it names. For each
page this keeps its HTML (compressed), its search entries, its anchors, its links to anchors
and what it logged, under a key of everything that went into it:

- the page's Markdown (its bytes), its source path and whether it is a draft;
- the build context (``context_key``): the versions of MkDocs, Material, Python-Markdown,
  pymdown-extensions and Jinja2, briefing's own code, the configuration as loaded (the site
  folder, the configuration file's path and ``strict`` aside), the theme's files (every file of
  a ``custom_dir``, the templates of an installed theme) and the navigation (every title and
  URL);
- and, checked before an entry is used, every documentation file its links were resolved
  against and what each resolved to: a page linking to a page that has since appeared, gone
  or moved is built again.

A page's HTML depends on nothing else when the theme's page template reads only the page, the
navigation and the configuration, as Material's does. A theme template that reads the list
of all pages, or the build date, makes them part of the build context (``_template_reads``).
What a page logged is logged again when its entry is used, so ``--strict`` fails as it would
have. A reused page whose file in the site this build replaces came from the same entry is
hard-linked from there instead of written (``generator/site_files.py``). Entries live in the
analysis cache's folder (``generator/cache.py``): safe to delete, pruned when unused for two
weeks, never read as an article.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sys
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .cache import Cache, key
from .site_files import EarlierSite

KIND = "mkdocs-page"
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
# Configuration that never shows in a page: where the site goes, where the file was, and
# whether warnings abort the build (a page's warnings are logged again when it is reused).
NOT_IN_PAGES = ("site_dir", "config_file_path", "strict")
_READS_PAGES = re.compile(r"(?<![.\w])pages\b")
_READS_DATE = re.compile(r"\b(build_date_utc|update_date)\b")


@dataclass(frozen=True)
class Built:
    """What building one page produced, as stored."""
    html: bytes | None  # zlib-compressed; None when MkDocs wrote no file (empty output)
    entries: list  # search index entries
    anchors: set | None
    links: dict | None  # {target source path: {anchor: link as written}}
    logged: tuple  # (logger name, level, message) of every record logged while it was built
    resolved: tuple  # (path looked up, what it resolved to) for every link target


def context_key(config, nav, doc_files, build_date: str) -> str:
    """A hash of everything besides its own source that every page's HTML is built from."""
    templates, reads_pages, reads_date = _templates(config.theme.dirs)
    settings = {k: v for k, v in config.items() if k not in NOT_IN_PAGES}
    parts = [_versions(), _canonical(settings), config.theme.name, templates, _canonical(_nav(nav.items))]
    if reads_pages:
        parts.append([f.src_uri for f in doc_files])
    if reads_date:
        parts.append(build_date)
    return key("mkdocs-context", *parts)


def _versions() -> list:
    found = []
    for name in PACKAGES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, None))
    return found


def _templates(dirs) -> tuple[str, bool, bool]:
    """A hash of the theme's files, and whether a template reads the list of pages or the date.

    A theme folder of the site's own (``custom_dir``) counts whole: a template may include any
    file. An installed theme's counts by its templates (Material's 14,000 icons are a second
    of hashing, and its version is part of the key)."""
    digest = hashlib.sha256()
    reads_pages = reads_date = False
    for folder in dirs:
        installed = any(part in ("site-packages", "dist-packages") for part in Path(folder).parts)
        for path in sorted(Path(folder).rglob("*.html" if installed else "*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
            text = data.decode("utf-8", "replace")
            reads_pages = reads_pages or bool(_READS_PAGES.search(text))
            reads_date = reads_date or bool(_READS_DATE.search(text))
    return digest.hexdigest(), reads_pages, reads_date


def _nav(items) -> list:
    return [(type(item).__name__, item.title, getattr(item, "url", None), _nav(getattr(item, "children", None) or []))
            for item in items]


def _canonical(value):
    """``value`` as plain data whose repr is the same in every process (no object addresses)."""
    if isinstance(value, Mapping):
        return sorted((str(k), _canonical(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "config"):  # a plugin or a Markdown extension: its class and settings
        return [_module(value), type(value).__qualname__, _canonical(value.config)]
    text = repr(value)
    return [type(value).__qualname__, re.sub(r" at 0x[0-9a-f]+", "", text)]


def _module(value) -> str:
    """The module of ``value``'s class, by its importable name even in the module run with ``-m``
    (whose classes say ``__main__``): the key must not depend on how the build was started."""
    module = type(value).__module__
    if module == "__main__":
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        module = spec.name if spec is not None else module
    return module


class PageCache:
    """Looks pages up and stores them; one instance per build, shared by the forked workers."""

    def __init__(self, cache: Cache, context: str, earlier: EarlierSite | None = None):
        self.cache = cache
        self.context = context
        self.earlier = earlier
        self._targets: dict = {}  # what each link path resolves to in this build (its files are fixed)

    def entry(self, file, excluded: bool) -> str | None:
        try:
            with open(file.abs_src_path, "rb") as handle:
                source = hashlib.sha256(handle.read()).hexdigest()
        except (OSError, TypeError):
            return None
        return key(self.context, file.src_uri, excluded, source)

    def reuse(self, entry: str, file, files) -> Built | None:
        """The stored build of this page, written to the site, or None to build it."""
        built = self.cache.get(KIND, entry)
        if not isinstance(built, Built) or not self._resolves_as_before(built, files):
            return None
        if built.html is not None:
            os.makedirs(os.path.dirname(file.abs_dest_path), exist_ok=True)
            if self.earlier is None or not self.earlier.link(file.dest_uri, entry, file.abs_dest_path):
                with open(file.abs_dest_path, "wb") as handle:
                    handle.write(zlib.decompress(built.html))
        for name, level, message in built.logged:
            logging.getLogger(name).log(level, "%s", message)
        return built

    def _resolves_as_before(self, built: Built, files) -> bool:
        """Every link path the page looked up still resolves to the same file and URL (pages
        share most targets, so each path is looked up once per process)."""
        targets = self._targets
        for path, before in built.resolved:
            now = targets.get(path, _UNSEEN)
            if now is _UNSEEN:
                now = targets[path] = _resolve(files, path)
            if now != before:
                return False
        return True

    def store(self, entry: str, file, recorded: "Recording", entries, anchors, links) -> None:
        try:
            with open(file.abs_dest_path, "rb") as handle:
                html = zlib.compress(handle.read(), 1)
        except OSError:
            html = None
        self.cache.put(KIND, entry, Built(html, entries, anchors, links, tuple(recorded.logged),
                                          tuple(sorted(recorded.resolved.items()))))


_UNSEEN = object()


def _resolve(files, path: str):
    return _target(files.get_file_from_path(path))


def _target(found):
    """What a link's path resolved to: the file, its URL and whether it is in the site."""
    return None if found is None else (found.src_uri, found.url, found.inclusion.name)


class Recording(logging.Handler):
    """While a page is built: every file its links look up, and every record MkDocs logs."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.logged: list = []
        self.resolved: dict = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.logged.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def recording(files):
    """Record what building one page looks up in ``files`` and logs (MkDocs' ``mkdocs`` logger)."""
    recorded = Recording()
    lookup = files.get_file_from_path

    def recorded_lookup(path):
        found = lookup(path)
        recorded.resolved[path] = _target(found)
        return found

    files.get_file_from_path = recorded_lookup  # on this instance only, for this page only
    logger = logging.getLogger("mkdocs")
    logger.addHandler(recorded)
    try:
        yield recorded
    finally:
        logger.removeHandler(recorded)
        del files.get_file_from_path
