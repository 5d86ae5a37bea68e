"""The site commands: generate, build and serve (the CLI wires them in)."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import os

import yaml

from .checking import load_site
from .errors import BriefingError, Diagnostic
from .rendering import default_templates, render_site
from .writing import OutputFolderError, WriteReport, write_pages

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


def generate(content: Path, docs_dir: Path, templates: Path | None = None) -> WriteReport:
    """Read, check, render everything in memory, then write; nothing is written on error."""
    corpus, overrides = load_site(content)
    pages = render_site(corpus, overrides, templates or default_templates())
    try:
        return write_pages(pages, docs_dir)
    except OutputFolderError as err:
        raise BriefingError([Diagnostic(str(docs_dir), None, None, str(err))]) from None


def cmd_generate(args) -> int:
    report = generate(args.content, args.docs_dir, args.templates)
    print(f"generated {args.docs_dir}: {len(report.written)} written, {report.unchanged} unchanged, "
          f"{len(report.deleted)} deleted")
    return 0


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


def mkdocs_build(config: Path, docs_dir: Path, site_dir: Path, strict: bool) -> int:
    """Build into a temporary folder and swap it in only when the build succeeds."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "mkdocs", "build", "--config-file",
                   str(config_for(config, docs_dir, Path(scratch))), "--site-dir", str(tmp)]
        if strict:
            command.append("--strict")
        result = subprocess.run(command, env=_quiet_env())
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        return result.returncode
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    return 0


def _quiet_env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1")


def cmd_build(args) -> int:
    cmd_generate(args)
    code = mkdocs_build(args.config_file, args.docs_dir, args.site_dir, args.strict)
    if code:
        print(f"briefing: MkDocs build failed (exit {code}); the previous site was left in place", file=sys.stderr)
        return 1
    print(f"built {args.site_dir}")
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
        report = generate(args.content, args.docs_dir, args.templates)
    except BriefingError as err:
        for d in err.diagnostics:
            print(str(d), file=sys.stderr)
        print("briefing: not regenerated; still serving the last good site", file=sys.stderr, flush=True)
        return
    print(f"regenerated: {len(report.written)} written, {len(report.deleted)} deleted", flush=True)
