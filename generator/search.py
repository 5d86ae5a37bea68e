"""Full-text search of the articles: a Pagefind index, made after the MkDocs build.

The theme's search (Material's) downloads one index file whole, so it indexes only what stays
small: the home page, the indexes, and the region, actor and matrix pages without their
growing sections (see ``rendering.SEARCHED_KINDS`` and the templates' ``data-search-exclude``).
The text of every article goes into a Pagefind index instead: a static index split into small
chunks, of which a query downloads only the few it needs. The articles index page shows its
search box (``templates/assets/briefing.js`` loads Pagefind's UI from ``pagefind/``).

**Shards.** Pagefind has no incremental mode: it reads and indexes every page on every run
(about 4 ms a page, 44 s for 10,000 articles). So the article pages are split into shards of
about ``SHARD_PAGES`` pages (at most ``MAX_SHARDS`` shards), by a hash of the article's folder name (an article stays in its
shard while the number of shards stays the same), and each shard is one Pagefind bundle: the
first at ``pagefind/``, the others at ``pagefind/<n>/``, listed in ``pagefind/shards.json``,
from which the browser merges them into one search (Pagefind's ``mergeIndex``). A shard's
bundle is kept in the cache under a key of the bytes of its pages, Pagefind's version and the
options, so a rebuild after a commit indexes only the shards whose pages changed; shards run
two or more at a time. A query reads every shard's entry, metadata and index chunk (about
30 kB a shard at 10,000 articles), so the number of shards is capped: past
``MAX_SHARDS * SHARD_PAGES`` articles the shards grow instead.

The Pagefind program comes from the ``pagefind-bin`` package (a dependency): nothing is
downloaded at run time. Without it the site is built all the same, with a warning.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from .cache import Cache, key
from .site_files import EarlierSite, identity

BUNDLE = "pagefind"  # folder of the index in the built site
SHARDS_FILE = "shards.json"  # in BUNDLE: the other shards' bundles, relative to it
PAGES = "articles/*/index.html"  # the article pages (with directory URLs)
ROOT_SELECTOR = "article.md-content__inner"  # the page's text, without the theme's header, nav and footer
EXCLUDE_SELECTORS = ".headerlink"  # the toc extension's ¶ permalinks
OPTIONS = ("--glob", PAGES, "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE_SELECTORS, "--quiet")
SHARD_PAGES = 1000  # article pages per shard, about (BRIEFING_SEARCH_SHARD_PAGES changes it)
MAX_SHARDS = 32  # what a query downloads grows with the number of shards
SHARD_ENV = "BRIEFING_SEARCH_SHARD_PAGES"


def executable() -> str | None:
    """The Pagefind program: the one shipped in the pagefind-bin package, else one on PATH."""
    try:
        import pagefind_bin  # type: ignore[import-not-found]
        return str(pagefind_bin.get_executable())
    except Exception:  # not installed, or no binary for this platform
        return shutil.which("pagefind")


def shard_pages() -> int:
    wanted = os.environ.get(SHARD_ENV, "").strip()
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else SHARD_PAGES


def shards(pages: list[str], per_shard: int) -> list[list[str]]:
    """The article pages (site-relative paths) split into shards of about ``per_shard`` pages
    by a hash of the article's folder, at most ``MAX_SHARDS`` of them; empty shards are left
    out, the order is fixed."""
    count = min(MAX_SHARDS, max(1, -(-len(pages) // per_shard)))
    groups: list[list[str]] = [[] for _ in range(count)]
    for rel in sorted(pages):
        groups[zlib.crc32(rel.split("/")[-2].encode("utf-8")) % count].append(rel)
    return [group for group in groups if group]


def bundle_path(n: int) -> str:
    """Where shard ``n``'s bundle goes in the site: the first is the one the page loads."""
    return BUNDLE if n == 0 else f"{BUNDLE}/{n}"


def index_site(site_dir: Path, cache: Cache | None = None, jobs: int = 1,
               replacing: Path | None = None) -> tuple[bool, str]:
    """Index the built site's article pages into ``site_dir/pagefind``: (done, message). With
    ``cache``, unchanged shards' bundles come from it, and with ``replacing`` (the site this one
    replaces) their files there are hard-linked when they came from the same bundle."""
    program = executable()
    if program is None:
        return False, "pagefind is not installed (pip install pagefind-bin): the site has no full-text search"
    pages = [p.relative_to(site_dir).as_posix() for p in site_dir.glob(PAGES)]
    if not pages:
        return False, "no article pages: the site has no full-text search"
    groups = shards(pages, shard_pages())
    entries = [key("pagefind", _version(program), repr(OPTIONS), *_digests(site_dir, g)) for g in groups]
    bundles: list[dict[str, bytes] | None] = [cache.get("pagefind", e) if cache is not None else None for e in entries]
    todo = [n for n, found in enumerate(bundles) if found is None]
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site_dir.parent) as scratch:
        with ThreadPoolExecutor(max(1, min(jobs, len(todo)))) as pool:
            made = pool.map(lambda n: _index_shard(program, site_dir, groups[n], Path(scratch) / str(n)), todo)
            for n, files in zip(todo, made):
                bundles[n] = files
                if cache is not None:
                    cache.put("pagefind", entries[n], files)
    earlier = EarlierSite(cache, replacing, "full-text") if cache is not None and replacing is not None else None
    written: dict = {}
    for n, files in enumerate(bundles):
        written.update(_write_bundle(site_dir, bundle_path(n), files, entries[n], earlier))
    if earlier is not None:
        earlier.remember(written)
    others = [f"{n}/" for n in range(1, len(groups))]
    (site_dir / BUNDLE / SHARDS_FILE).write_text(json.dumps({"bundles": others}) + "\n", "utf-8")
    plural = "" if len(groups) == 1 else "s"
    return True, f"{len(pages)} article pages in {len(groups)} shard{plural}, {len(todo)} indexed"


@lru_cache(maxsize=None)
def _version(program: str) -> str:
    result = subprocess.run([program, "--version"], capture_output=True, text=True)
    return result.stdout.strip() or program


def _digests(site_dir: Path, group: list[str]) -> list[str]:
    return [rel + "\0" + hashlib.sha256((site_dir / rel).read_bytes()).hexdigest() for rel in group]


def _index_shard(program: str, site_dir: Path, group: list[str], scratch: Path) -> dict[str, bytes]:
    """Pagefind run on a copy of the site holding only these pages (hard links): its bundle's files."""
    mirror, out = scratch / "site", scratch / "bundle"
    for rel in group:
        target = mirror / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / rel, target)
        except OSError:  # another file system, or no hard links there
            shutil.copyfile(site_dir / rel, target)
    command = [program, "--site", str(mirror), "--output-path", str(out), *OPTIONS]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise SearchIndexError(f"pagefind failed (exit {result.returncode}): {output[-2000:]}")
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _write_bundle(site_dir: Path, bundle: str, files: dict[str, bytes], entry: str,
                  earlier: EarlierSite | None) -> dict[str, tuple]:
    """A shard's bundle written (or its files in the site replaced linked): {site path: (entry,
    identity)} of its files."""
    written = {}
    folders: set = set()
    for rel, data in files.items():
        site_rel = f"{bundle}/{rel}"
        target = str(site_dir / site_rel)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if earlier is None or not earlier.link(site_rel, entry, target):
            with open(target, "wb") as handle:
                handle.write(data)
        written[site_rel] = (entry, identity(target))
    return written


class SearchIndexError(Exception):
    pass
