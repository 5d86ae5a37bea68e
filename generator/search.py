"""Full-text search of the articles: a Pagefind index, made after the MkDocs build.

The theme's search (Material's) downloads one index file whole, so it indexes only what stays
small: the home page, the indexes, and the region, actor and matrix pages without their
growing sections (see ``rendering.SEARCHED_KINDS`` and the templates' ``data-search-exclude``).
The text of every article goes into a Pagefind index instead: a static index split into small
chunks, of which a query downloads only the few it needs. The articles index page shows its
search box (``templates/assets/briefing.js`` loads Pagefind's UI from ``pagefind/``).

The Pagefind program comes from the ``pagefind-bin`` package (a dependency): nothing is
downloaded at run time. Without it the site is built all the same, with a warning.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

BUNDLE = "pagefind"  # folder of the index in the built site
PAGES = "articles/*/index.html"  # the article pages (with directory URLs)
ROOT_SELECTOR = "article.md-content__inner"  # the page's text, without the theme's header, nav and footer
EXCLUDE_SELECTORS = ".headerlink"  # the toc extension's ¶ permalinks


def executable() -> str | None:
    """The Pagefind program: the one shipped in the pagefind-bin package, else one on PATH."""
    try:
        import pagefind_bin  # type: ignore[import-not-found]
        return str(pagefind_bin.get_executable())
    except Exception:  # not installed, or no binary for this platform
        return shutil.which("pagefind")


def index_site(site_dir: Path) -> tuple[bool, str]:
    """Index the built site's article pages into ``site_dir/pagefind``: (done, message)."""
    program = executable()
    if program is None:
        return False, "pagefind is not installed (pip install pagefind-bin): the site has no full-text search"
    command = [program, "--site", str(site_dir), "--output-subdir", BUNDLE, "--glob", PAGES,
               "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE_SELECTORS, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed (exit {result.returncode}): {output[-2000:]}")
    return True, output


class SearchIndexError(Exception):
    pass
