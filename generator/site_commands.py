"""The site commands: generate, build and serve (the CLI wires them in)."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import os

import yaml

from . import mkdocs_parallel, parallel, search
from .cache import Cache
from .checking import load_site, source_date_epoch
from .corpus import no_gc, settings as corpus_settings
from .errors import BriefingError, Diagnostic
from .output import write_site
from .rendering import default_templates
from .writing import OutputFolderError, WriteReport

DOCS_DIR = Path("docs_generated")
SITE_DIR = Path("site")
CONFIG = Path("mkdocs.yml")


def add_commands(sub, content_option) -> None:
    generate = sub.add_parser("generate", help="render the Markdown pages into the docs folder")
    _site_options(generate, content_option)
    generate.set_defaults(run=cmd_generate)
    build = sub.add_parser("build", help="generate, then build the site with MkDocs into site/")
    _site_options(build, content_option)
    build.add_argument("--strict", action="store_true", help="fail on any MkDocs warning, broken links included")
    build.add_argument("--site-dir", type=Path, default=SITE_DIR, help="where the built site goes (default: site)")
    build.set_defaults(run=cmd_build)
    serve = sub.add_parser("serve", help="generate, serve with live reload, regenerate on changes")
    _site_options(serve, content_option)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)


def _site_options(parser, content_option) -> None:
    content_option(parser)
    parser.add_argument("--docs-dir", type=Path, default=DOCS_DIR, help="generated Markdown folder (default: docs_generated)")
    parser.add_argument("--templates", type=Path, default=None, help="Jinja2 templates folder (default: templates/)")
    parser.add_argument("-f", "--config-file", type=Path, default=CONFIG, help="MkDocs configuration (default: mkdocs.yml)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the cache of analyses and built pages "
                             "(.briefing-cache/, or BRIEFING_CACHE_DIR)")
    parser.add_argument("--stats", action="store_true", help="print timings: extraction words/s, rendering, total")


def generate(content: Path, docs_dir: Path, templates: Path | None = None, use_cache: bool = True,
             stats: dict | None = None) -> WriteReport:
    """Read, check and render, then write; nothing is written on error.

    Articles are analysed on every core and their analyses cached (``generator/cache.py``);
    pages are rendered on every core and only the files whose bytes change are rewritten."""
    started = time.perf_counter()
    jobs = parallel.jobs()
    cache = Cache() if use_cache else None
    # The model is millions of objects and no reference cycles: the collector, left on, would
    # walk them again and again while the pages are planned and rendered.
    with corpus_settings(cache=cache, jobs=jobs, progress=None) as run, no_gc():
        corpus, overrides = load_site(content)
        for warning in corpus.warnings:  # a skipped file is never dropped without a word (issue 7)
            print(str(warning), file=sys.stderr)
        _SOURCE_DATE["epoch"] = source_date_epoch(corpus)  # no build date in sitemap.xml(.gz) (issue 7)
        loaded = time.perf_counter()
        try:
            report = write_site(corpus, overrides, templates or default_templates(), docs_dir, jobs, None,
                                cache, run.article_keys, run.stats)
        except OutputFolderError as err:
            raise BriefingError([Diagnostic(str(docs_dir), None, None, str(err))]) from None
    if cache is not None:
        cache.prune_daily()  # entries no run has used for two weeks
    if stats is not None:
        stats.update(run.stats, load_s=loaded - started, render_s=time.perf_counter() - loaded,
                     pages=len(report.written) + report.unchanged, jobs=jobs)
    return report


def cmd_generate(args) -> int:
    started = time.perf_counter()
    stats: dict = {}
    report = generate(args.content, args.docs_dir, args.templates, not args.no_cache, stats)
    print(f"generated {args.docs_dir}: {len(report.written)} written, {report.unchanged} unchanged, "
          f"{len(report.deleted)} deleted")
    if args.stats:
        _print_stats(stats, time.perf_counter() - started)
    return 0


def _print_stats(stats: dict, seconds: float) -> None:
    """Figures of one generate run (read by benchmarks/run.py)."""
    words, extract = stats.get("words", 0), stats.get("extract_s", 0.0)
    print(f"extraction: {words / extract if extract else 0:.0f} words/s ({stats.get('articles', 0)} articles, "
          f"{words} words in {extract:.2f} s: reading {stats.get('read_s', 0):.2f} s, analysis "
          f"{stats.get('analyse_s', 0):.2f} s, corpus {stats.get('assemble_s', 0):.2f} s; "
          f"{stats.get('jobs', 1)} processes; cache {stats.get('cache_hits', 0)} hits, "
          f"{stats.get('cache_misses', 0)} misses)")
    print(f"rendering: {stats.get('pages', 0)} pages in {stats.get('render_s', 0):.2f} s "
          f"({stats.get('pages_rendered', 0)} rendered, {stats.get('pages_skipped', 0)} with unchanged inputs)")
    print(f"generate: {seconds:.2f} s, peak RSS {_peak_rss() / 1e6:.0f} MB (largest process)")


def _peak_rss() -> int:
    """Bytes: the high-water mark of this process or of its largest finished child (a worker)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return 0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in kB on Linux, bytes on macOS
    return scale * max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                       resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def config_for(config: Path, docs_dir: Path, scratch: Path) -> Path:
    """The MkDocs configuration, pointed at ``docs_dir`` when that is not its own docs_dir."""
    try:
        settings = yaml.safe_load(config.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return config
    own = (config.parent / settings.get("docs_dir", "docs")).resolve()
    if own == docs_dir.resolve():
        return config
    settings["docs_dir"] = str(docs_dir.resolve())
    derived = scratch / "mkdocs.yml"
    derived.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), "utf-8")
    return derived


def mkdocs_build(config: Path, docs_dir: Path, site_dir: Path, strict: bool, cache: Cache | None = None) -> int:
    """Build into a temporary folder and swap it in only when the build succeeds; with
    ``cache``, pages whose inputs are unchanged are reused (``generator/page_cache.py``)."""
    site_dir = site_dir.resolve()
    if not _replaceable(site_dir):
        print(f"briefing: {site_dir} exists and is not a site built by briefing or MkDocs; "
              "refusing to replace it (choose another --site-dir)", file=sys.stderr)
        return 1
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        # `mkdocs build`, its pages converted and rendered on every core (generator/mkdocs_parallel.py)
        code = mkdocs_parallel.run(str(config_for(config, docs_dir, Path(scratch))), str(tmp), strict,
                                   parallel.jobs(), env=_quiet_env(),
                                   cache_dir=str(cache.folder.resolve()) if cache is not None else None,
                                   replacing=str(site_dir))
        _BUILD_STATS["mkdocs_s"] = time.perf_counter() - started
    if code != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        return code
    started = time.perf_counter()
    try:
        # the articles' full-text index (Pagefind), in shards; unchanged shards come from the cache
        indexed, message = search.index_site(tmp, cache, parallel.jobs(), replacing=site_dir)
    except search.SearchIndexError as err:
        print(f"briefing: {err}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        return 1
    _BUILD_STATS["pagefind_s"] = time.perf_counter() - started
    _BUILD_STATS["pagefind"] = message
    if not indexed:
        print(f"warning: {message}", file=sys.stderr)
    (tmp / SITE_MARKER).write_text("Built by briefing: replaced whole on every successful build.\n", "utf-8")
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    remove_tree(old)
    return 0


REMOVING_THREADS = 4


def remove_tree(folder: Path) -> None:
    """``shutil.rmtree``, its subfolders' subfolders removed on several threads (unlinking waits
    on the file system, not on Python): the previous site at 10,000 articles is 39,000 folders."""
    try:
        parts = [entry.path for top in os.scandir(folder) if top.is_dir(follow_symlinks=False)
                 for entry in os.scandir(top.path) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        parts = []
    if len(parts) > 1:
        with ThreadPoolExecutor(REMOVING_THREADS) as pool:
            list(pool.map(lambda part: shutil.rmtree(part, ignore_errors=True), parts, chunksize=64))
    shutil.rmtree(folder, ignore_errors=True)


SITE_MARKER = ".briefing-site"


def _replaceable(site_dir: Path) -> bool:
    """Only an empty folder, or a site this tool or MkDocs built, is ever replaced."""
    if not site_dir.exists():
        return True
    if not site_dir.is_dir():
        return False
    return not any(site_dir.iterdir()) or any((site_dir / name).exists() for name in (SITE_MARKER, "sitemap.xml", "404.html"))


_SOURCE_DATE: dict[str, str] = {}  # set by generate: the newest article date, for reproducible builds


def _quiet_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if "SOURCE_DATE_EPOCH" not in env and "epoch" in _SOURCE_DATE:
        env["SOURCE_DATE_EPOCH"] = _SOURCE_DATE["epoch"]
    return env


_BUILD_STATS: dict = {}  # timings of the last mkdocs_build, for --stats


def cmd_build(args) -> int:
    cmd_generate(args)
    code = mkdocs_build(args.config_file, args.docs_dir, args.site_dir, args.strict,
                        None if args.no_cache else Cache())
    if code:
        print(f"briefing: site not built (exit {code}); the previous site was left in place", file=sys.stderr)
        return 1
    print(f"built {args.site_dir}")
    if args.stats:
        print(f"mkdocs: {_BUILD_STATS.get('mkdocs_s', 0):.2f} s; full-text index: {_BUILD_STATS.get('pagefind_s', 0):.2f} s "
              f"({_BUILD_STATS.get('pagefind', '')})")
    return 0


def _fingerprint(folders: list[Path]) -> tuple:
    entries = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def cmd_serve(args) -> int:
    cmd_generate(args)
    templates = args.templates or default_templates()
    scratch = tempfile.TemporaryDirectory()
    config = config_for(args.config_file, args.docs_dir, Path(scratch.name))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # so that `finally` below stops mkdocs serve too
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config),
                               "--dev-addr", args.dev_addr, "--livereload"], env=_quiet_env())
    watched = [Path(args.content), Path(templates)]
    last = _fingerprint(watched)
    try:
        while server.poll() is None:
            time.sleep(0.5)
            now = _fingerprint(watched)
            if now != last:
                last = now
                _regenerate(args)
        return server.returncode or 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        scratch.cleanup()


def _interrupt(signum, frame) -> None:
    """SIGTERM stops `briefing serve` as Ctrl+C does, instead of orphaning mkdocs serve."""
    raise KeyboardInterrupt


def _regenerate(args) -> None:
    """Regenerate after a change; on error show it and keep serving the last good pages."""
    try:
        report = generate(args.content, args.docs_dir, args.templates, not args.no_cache)
    except BriefingError as err:
        for d in err.diagnostics:
            print(str(d), file=sys.stderr)
        print("briefing: not regenerated; still serving the last good site", file=sys.stderr, flush=True)
        return
    print(f"regenerated: {len(report.written)} written, {len(report.deleted)} deleted", flush=True)
