"""What MkDocs with Material needs at least to build a generated site, whatever `briefing` does.

    python3 benchmarks/mkdocs_floor.py DOCS_DIR [--every 10] [--jobs 2]

DOCS_DIR is a folder `briefing generate` wrote (the benchmark's /tmp/briefing-bench/docs-N).
Two figures bound a cold build of it from below:

1. converting its Markdown: every `--every`-th page is converted, one after the other in this
   process, by the Markdown that `generator.mkdocs_parallel`'s workers use (mkdocs.yml's
   extensions and the inline passes in one scan), and the time per byte is applied to all of
   its Markdown, spread over `--jobs` cores;
2. a page in itself: the same folder tree with every page a heading and one line is built by
   `generator.mkdocs_parallel` on `--jobs` workers. That is the theme's template, writing the
   file, reading the source and the build's own steps, for as many pages, with nothing to convert.

The sum is a floor: the real build also makes every link relative, writes more HTML and feeds
the search index, and `briefing generate` comes before it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def markdown_pages(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if p.is_file())


def conversion(docs: Path, pages: list[Path], config_file: Path, every: int) -> tuple[float, int, int]:
    """(seconds, Markdown bytes, pages) converting every ``every``-th of ``pages`` in one process."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data

    from generator.mkdocs_parallel import _generated_markdown_only

    config = load_config(str(config_file), docs_dir=str(docs))
    extensions = list(config.markdown_extensions) + [_generated_markdown_only()]
    seconds, size, converted = 0.0, 0, 0
    for path in pages[::every]:
        text, _ = get_data(path.read_text("utf-8-sig"))
        converter = markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs)
        started = time.perf_counter()
        converter.convert(text)
        seconds += time.perf_counter() - started
        size, converted = size + len(text.encode()), converted + 1
    return seconds, size, converted


def one_line_site(docs: Path, config_file: Path, jobs: int, work: Path) -> tuple[float, int, int]:
    """(seconds, pages, HTML bytes) of building ``docs``' tree with one line on every page."""
    tree = work / "docs"
    for path in docs.rglob("*"):
        target = tree / path.relative_to(docs)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(f"# {path.stem}\n\nOne line.\n", "utf-8")
        else:
            shutil.copyfile(path, target)
    config = work / "mkdocs.yml"
    lines = config_file.read_text("utf-8").splitlines()
    config.write_text("\n".join(f"docs_dir: {tree}" if line.startswith("docs_dir:") else line for line in lines) + "\n",
                      "utf-8")
    site = work / "site"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator.mkdocs_parallel", "--config-file", str(config),
                    "--site-dir", str(site), "--jobs", str(jobs)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    html = [p.stat().st_size for p in site.rglob("*.html")]
    return seconds, len(html), sum(html)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", type=Path)
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--every", type=int, default=10, help="convert every N-th page (default 10)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    pages = markdown_pages(args.docs)
    total = sum(p.stat().st_size for p in pages)
    seconds, size, sampled = conversion(args.docs, pages, args.config, args.every)
    per_byte = seconds / size
    convert_all = total * per_byte / args.jobs
    print(f"{len(pages):,} pages, {total / 1e6:.1f} MB of Markdown")
    print(f"converting {sampled:,} of them ({size / 1e6:.1f} MB) in one process: {seconds:.1f} s, "
          f"{per_byte * 1e6:.2f} µs a byte; all of it on {args.jobs} cores: {convert_all:.0f} s")
    with tempfile.TemporaryDirectory(prefix="briefing-floor-") as work:
        built, html_pages, html = one_line_site(args.docs, args.config, args.jobs, Path(work))
    print(f"the same pages with one line each, built on {args.jobs} workers: {built:.1f} s for {html_pages:,} HTML pages "
          f"({built * args.jobs / html_pages * 1000:.1f} ms of a core a page), {html / html_pages / 1000:.1f} kB of HTML a page")
    print(f"floor of the MkDocs build: {convert_all + built:.0f} s (conversion {convert_all:.0f} + pages {built:.0f})")


if __name__ == "__main__":
    main()
