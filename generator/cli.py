"""The command line: the only place that prints and decides exit codes."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .errors import BriefingError

CANDIDATES_SHOWN = 30


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if hasattr(sys.stdout, "reconfigure"):  # names from articles never crash a non-UTF-8 console
        sys.stdout.reconfigure(errors="backslashreplace")
    global _CONTENT
    _CONTENT = getattr(args, "content", None)
    try:
        return args.run(args)
    except BriefingError as err:
        _print_diagnostics(err.diagnostics)
        errors = sum(d.severity == "error" for d in err.diagnostics)
        print(f"briefing: {errors} error(s); nothing written", file=sys.stderr)
        return 1
    except OSError as err:  # a folder that cannot be read or written, a full disk: a message, no traceback
        where = f"{err.filename}: " if err.filename else ""
        print(f"{where}{err.strerror or err}", file=sys.stderr)
        print("briefing: stopped by the error above", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The program (``briefing`` and ``python3 -m generator``): ``main``, then end the process
    at once. The model of a large corpus is millions of objects, and freeing them one by one as
    the interpreter shuts down took 4 s of a 27 s run at 10,000 articles; every file is closed and
    every worker and subprocess has ended by then, so only the output streams need flushing."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be shown
            pass
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Turn a folder of news articles into a cited briefing site.")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check", help="read and validate everything; list problems and unlinked names")
    _content(check)
    check.set_defaults(run=cmd_check)
    export = sub.add_parser("export", help="write the corpus model as JSON (schema briefing-export/1)")
    _content(export)
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.set_defaults(run=cmd_export)
    from . import site_commands
    site_commands.add_commands(sub, _content)
    return parser


def _content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", type=Path, help="content folder (default: content)")


_CONTENT: Path | None = None  # the content folder of this run, to show paths from where the user is


def _print_diagnostics(diagnostics) -> None:
    for d in diagnostics:
        print(str(_from_cwd(d)), file=sys.stderr)


def _from_cwd(d):
    """Paths in diagnostics are relative to the content folder; show them as the user typed it."""
    if _CONTENT is None or Path(d.path).is_absolute():
        return d
    located = Path(_CONTENT) / d.path
    return replace(d, path=located.as_posix()) if located.exists() else d


def cmd_check(args) -> int:
    from .checking import check_all
    corpus, _, diagnostics = check_all(args.content)
    _print_diagnostics(diagnostics)
    if corpus is not None:
        _print_candidates(corpus)
        print(f"{len(corpus.articles)} articles, {len(corpus.entities)} entities, "
              f"{len(corpus.mentions)} mentions, {len(corpus.matrices)} matrices")
    errors = sum(d.severity == "error" for d in diagnostics)
    print(f"{errors} error(s), {len(diagnostics) - errors} warning(s)")
    return 1 if errors else 0


def _print_candidates(corpus) -> None:
    if not corpus.candidates:
        return
    print(f"unlinked candidates ({len(corpus.candidates)}; add them to content/entities.yaml to link them):")
    for c in corpus.candidates[:CANDIDATES_SHOWN]:
        where = ", ".join(f"{path}:{line}" for path, line in c.places[:3])
        more = f" (+{len(c.places) - 3} more)" if len(c.places) > 3 else ""
        print(f"  {c.name} ×{c.count}: {where}{more}")
    if len(corpus.candidates) > CANDIDATES_SHOWN:
        print(f"  … and {len(corpus.candidates) - CANDIDATES_SHOWN} more (see `briefing export`)")


def cmd_export(args) -> int:
    from .corpus import load_corpus
    from .export import export_json
    corpus = load_corpus(args.content)
    _print_diagnostics(corpus.warnings)
    text = export_json(corpus)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
