"""``mkdocs build`` with its per-page work spread over worker processes.

MkDocs builds a site in one process: every page is converted from Markdown and then rendered
into the theme one after the other, which at 10,000 articles takes most of a build. Both steps
depend on the page alone (and on the navigation, which is built first), so this runs MkDocs'
own build steps (``mkdocs.commands.build``, MkDocs 1.6) in the same order, except that the pages
are converted and rendered by forked workers, each writing its pages' HTML. What workers learn
that the whole build needs comes back to this process: the search index entries (added in page
order, as MkDocs adds them), the anchors of each page and the links to anchors (validated here,
as MkDocs validates them, after every page is converted) and the number of warnings (for
``--strict``). The site written is the one ``mkdocs build`` writes.

Python-Markdown tries each of its inline patterns on every piece of text, and the pages
``briefing generate`` writes can hold only a few kinds of inline Markdown: every character of
article text that could start another is backslash-escaped or written as an HTML entity
(``generator/escaping.py``), and the templates write links, bold, inline HTML and entities only.
So the workers' Markdown leaves out the patterns that cannot match in such a page (code spans,
images, reference links, autolinks, hard line breaks), a quarter less conversion time, and does
the passes left (escapes, links, plain tags, entities, plain emphasis) in one scan
(``generator.fast_inline``), another 15-30% less: the same HTML.
``site_tests/test_benchmark_smoke.py`` compares the site with ``mkdocs build``'s, on the sample
corpus, the hostile one and ../shared/corpus.

With a cache folder (``briefing build`` passes the analysis cache's, unless ``--no-cache``),
a page whose Markdown, configuration, theme, navigation and link targets are those of a page
built before is not built again: its HTML and what the build needs of it come from the cache
(``generator/page_cache.py``), so a rebuild after a commit builds only the pages it changed.

It runs only the configuration it knows: the search plugin and no other (mkdocs.yml has no
hooks or third-party plugins). With any other plugin, or another MkDocs than 1.6, ``run``
falls back to plain ``mkdocs build``; so it does with one core or no fork when there is no
cache folder (with one, the pages are built in this process).

    python3 -m generator.mkdocs_parallel --config-file mkdocs.yml --site-dir site [--strict] [--jobs N] [--cache-dir D]
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import subprocess
import sys
import time

from . import page_cache, parallel
from .cache import Cache
from .site_files import EarlierSite, identity

KNOWN_PLUGINS = ("search", "material/search")
log = logging.getLogger("mkdocs.commands.build")

_STATE: dict = {}  # what the workers need, set before they are forked


def run(config_file: str, site_dir: str, strict: bool, jobs: int, env: dict | None = None,
        cache_dir: str | None = None, replacing: str | None = None) -> int:
    """Build the site; the exit status of the build (0 when it succeeded). With ``cache_dir``,
    pages whose inputs are unchanged since a build that used it are reused (``page_cache``);
    with ``replacing`` too (the site folder this build is to replace), a reused page's file
    in it that came from the same entry is hard-linked instead of written."""
    command = [sys.executable, "-m", "generator.mkdocs_parallel", "--config-file", config_file,
               "--site-dir", site_dir, "--jobs", str(jobs)] + (["--strict"] if strict else []) \
        + (["--cache-dir", cache_dir] if cache_dir else []) + (["--replacing", replacing] if replacing else [])
    if not _known_mkdocs() or (cache_dir is None and (jobs <= 1 or not parallel.can_fork())):
        command = [sys.executable, "-m", "mkdocs", "build", "--config-file", config_file, "--site-dir", site_dir] \
            + (["--strict"] if strict else [])
    return subprocess.run(command, env=env).returncode


def _known_mkdocs() -> bool:
    """The build steps reused here are MkDocs 1.6's; any other version gets plain `mkdocs build`."""
    try:
        from mkdocs import __version__
    except ImportError:
        return False
    return __version__.startswith("1.6.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m generator.mkdocs_parallel")
    parser.add_argument("--config-file", required=True)
    parser.add_argument("--site-dir", required=True)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--jobs", type=int, default=parallel.jobs())
    parser.add_argument("--cache-dir", help="keep each page's build here and reuse it while its inputs are unchanged")
    parser.add_argument("--replacing", help="the site folder the one built will replace (with --cache-dir: "
                                            "its files of reused pages are hard-linked, not written again)")
    args = parser.parse_args(argv)

    from mkdocs import __main__ as mkdocs_main
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    state = mkdocs_main.State()  # MkDocs' own log format and level  # noqa: F841 (kept alive)
    mkdocs_main._enable_warnings()
    config = load_config(config_file=args.config_file, site_dir=args.site_dir, strict=args.strict)
    if any(name not in KNOWN_PLUGINS for name in config.plugins):
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--config-file", args.config_file,
                               "--site-dir", args.site_dir] + (["--strict"] if args.strict else [])).returncode
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, args.jobs, Cache(args.cache_dir) if args.cache_dir else None, args.replacing)
    except MkDocsException as err:
        if str(err):
            logging.getLogger("mkdocs").error(str(err))
        return 1
    except Exception as err:  # a page that cannot be built: MkDocs has logged which
        logging.getLogger("mkdocs").error(f"{type(err).__name__}: {err}")
        return 1
    finally:
        config.plugins.on_shutdown()
    return 0


# Inline patterns no generated page can match (Python-Markdown's names; others are kept).
UNUSED_INLINE = ("backtick", "reference", "image_link", "image_reference", "short_reference",
                 "short_image_ref", "autolink", "automail", "linebreak")


def _generated_markdown_only():
    """A Markdown extension that deregisters ``UNUSED_INLINE`` and does the inline passes left
    in one scan where it can (``generator.fast_inline``). Made here: markdown is imported only
    with MkDocs."""
    from markdown.extensions import Extension

    from . import fast_inline, fast_links

    class GeneratedMarkdownOnly(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
            for name in UNUSED_INLINE:
                if name in md.inlinePatterns:
                    md.inlinePatterns.deregister(name)
            fast_inline.install(md)
            fast_links.install(md)
            md.is_block_level = _remembered(md.is_block_level)

    return GeneratedMarkdownOnly()


def _remembered(is_block_level):
    """``Markdown.is_block_level``, each tag's answer remembered: Python-Markdown asks it of
    every element (prettifying, serialising, inline placeholders), each time lower-casing the
    tag and walking its list of 59 block-level names (4% of a worker's time). The instance's
    list is complete by then: extensions fill it when they are registered, before a page is
    converted (and every page gets a new Markdown instance)."""
    known: dict = {}

    def remembered(tag) -> bool:
        answer = known.get(tag)
        if answer is None:
            answer = known[tag] = is_block_level(tag)
        return answer

    return remembered


def build(config, jobs: int, cache: Cache | None = None, replacing: str | None = None) -> None:
    """``mkdocs.commands.build.build`` (MkDocs 1.6, not dirty, not serving) with parallel pages,
    reusing from ``cache`` the pages built before from the same inputs (hard-linking their files
    from ``replacing``, the site this one will replace, where they came from the same entry)."""
    from mkdocs import utils
    from mkdocs.commands import build as steps
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(warning_counter)
    inclusion = InclusionLevel.is_included
    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.markdown_extensions.append(_generated_markdown_only())
        config.plugins.on_pre_build(config=config)
        log.info("Cleaning site directory")
        utils.clean_directory(config.site_dir)
        log.info(f"Building documentation to directory: {config.site_dir}")
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        doc_files = files.documentation_pages(inclusion=inclusion)
        for file in doc_files:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
        # The navigation's pages are read here (their titles and meta), so that every worker's
        # navigation shows them as MkDocs would; the others only in the worker that builds them
        # (an inclusion level that is not "not in nav" does not put a page in mkdocs.yml's nav).
        in_nav = {page.file.src_uri for page in nav.pages}
        for page in nav.pages:
            page.read_source(config)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=False, inclusion=inclusion)
        for template in config.theme.static_templates:
            steps._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            steps._build_extra_template(template, files, config, nav)

        index = _search_index(config)
        earlier = EarlierSite(cache, replacing, "pages") if cache is not None and replacing else None
        pages = None if cache is None else page_cache.PageCache(
            cache, page_cache.context_key(config, nav, doc_files, utils.get_build_date()), earlier)
        _STATE.update(config=config, files=files, doc_files=doc_files, nav=nav, env=env,
                      index=index, counter=warning_counter, steps=steps, parent=os.getpid(),
                      in_nav=in_nav, page_cache=pages)
        sizes = [_source_size(file) for file in doc_files]
        try:
            with _collect_between_pages():
                results = parallel.pmap(_page, range(len(doc_files)), workers=jobs, costs=sizes)
        finally:
            _STATE.clear()

        worker_warnings = 0
        by_uri = {f.src_uri: f for f in doc_files}
        if pages is not None:
            linked = sum(earlier.is_linked(f.dest_uri, r[5] and r[5][1]) for f, r in zip(doc_files, results)) \
                if earlier is not None else 0
            log.info(f"Reused {sum(r[4] for r in results)} of {len(results)} pages built before "
                     f"(page cache in {cache.folder}; {linked} files hard-linked from the site replaced)")
        for file, (entries, anchors, links, warnings, *_) in zip(doc_files, results):
            if index is not None:
                index.entries.extend(entries)
            file.page.present_anchor_ids = anchors
            file.page.links_to_anchors = {by_uri[uri]: targets for uri, targets in links.items() if uri in by_uri} \
                if links is not None else None
            worker_warnings += warnings
        log_level = config.validation.links.anchors
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=log_level)
        config.plugins.on_post_build(config=config)
        counts = warning_counter.get_counts()
        if config.strict and (counts or worker_warnings):
            total = sum(n for _, n in counts) + worker_warnings
            raise Abort(f"Aborted with {total} warnings in strict mode!")
        if earlier is not None:
            earlier.remember({file.dest_uri: r[5] for file, r in zip(doc_files, results) if r[5] is not None})
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
    except Exception as err:
        config.plugins.on_build_error(error=err)
        if isinstance(err, BuildError):
            log.error(str(err))
            raise Abort("Aborted with a BuildError!")
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(warning_counter)


def _source_size(file) -> int:
    """Bytes of a page's Markdown: the estimate of its build time, for scheduling."""
    try:
        return os.path.getsize(file.abs_src_path)
    except (OSError, TypeError):
        return 0


FULL_COLLECTION_EVERY = 256  # pages between two full garbage collections in a worker


@contextlib.contextmanager
def _collect_between_pages():
    """No automatic garbage collection while pages are built; ``_page`` collects between pages.

    A page's conversion allocates millions of objects that live until the page is written, and
    the collector, run every few hundred allocations, keeps walking them (a tenth of the build
    time). What a page leaves behind in reference cycles (its Markdown instance) is collected
    after the page instead. The state the workers inherit is frozen first: the collector never
    walks it, so the workers never write to (and copy) the memory pages that hold it."""
    enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    _STATE["pages_built"] = 0
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _collect_after_page() -> None:
    built = _STATE["pages_built"] = _STATE.get("pages_built", 0) + 1
    gc.collect(2 if built % FULL_COLLECTION_EVERY == 0 else 0)


def _search_index(config):
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index"):
            return plugin.search_index
    return None


def _page(i: int):
    """Build one page (in a worker), or reuse its earlier build: (search entries, anchors, links
    to anchors, warnings, reused, (cache entry, identity of the file written) or None)."""
    s = _STATE
    counter, file, pages = s["counter"], s["doc_files"][i], s["page_cache"]
    warned = sum(n for _, n in counter.get_counts())
    excluded = file.inclusion.is_excluded()
    entry = pages.entry(file, excluded) if pages is not None else None
    built = pages.reuse(entry, file, s["files"]) if entry is not None else None
    if built is not None:
        entries, anchors, links = built.entries, built.anchors, built.links
    elif entry is not None:
        with page_cache.recording(s["files"]) as recorded:
            entries, anchors, links = _build(file, excluded)
        pages.store(entry, file, recorded, entries, anchors, links)
    else:
        entries, anchors, links = _build(file, excluded)
    in_worker = os.getpid() != s["parent"]  # in this process the parent's counter has seen them
    written = identity(file.abs_dest_path) if entry is not None else None
    return entries, anchors, links, sum(n for _, n in counter.get_counts()) - warned if in_worker else 0, \
        built is not None, (entry, written) if written is not None else None


def _build(file, excluded: bool):
    """MkDocs' conversion and rendering of one page, then the garbage collection it calls for:
    (search entries, anchors, links to anchors)."""
    s = _STATE
    index = s["index"]
    s["steps"]._populate_page(file.page, s["config"], s["files"])
    before = len(index.entries) if index is not None else 0
    s["steps"]._build_page(file.page, s["config"], s["doc_files"], s["nav"], s["env"], False, excluded=excluded)
    entries = []
    if index is not None:
        entries = index.entries[before:]
        del index.entries[before:]  # added again, in page order, by the parent
    page = file.page
    links = {f.src_uri: dict(targets) for f, targets in page.links_to_anchors.items()} \
        if page.links_to_anchors is not None else None
    anchors = page.present_anchor_ids
    page.content = None  # the HTML is written; only what the build needs stays
    if os.getpid() != s["parent"] and file.src_uri not in s["in_nav"]:  # what no other page of this worker reads
        page.markdown, page.toc, page.present_anchor_ids, page.links_to_anchors = None, [], None, None
    _collect_after_page()
    return entries, anchors, links


if __name__ == "__main__":
    sys.exit(main())
