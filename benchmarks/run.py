"""The scale benchmark: prints figures for synthetic corpora of N articles.

    python3 benchmarks/run.py                      # N = 1,000 and 10,000, 3 runs each
    python3 benchmarks/run.py --sizes 1000 --runs 5
    python3 benchmarks/run.py --sizes 100000 --generate-only

For each N it reports medians of several runs (the machine is shared and noisy): wall time
and peak RSS of `briefing generate` (cold: no cache), of the MkDocs build and of the whole
`briefing build`; extraction words per second; pages written; site size and HTML bytes per
page; the bytes a reader's browser downloads to answer one search; and the time to
regenerate after editing one article, with the number of files rewritten. It ends with the
ratio of the 10,000 to the 1,000 figures (linear growth is a ratio of about 10).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_corpus  # noqa: E402


def run(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes of the process tree's largest process, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {})))
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-3000:]}")
    return wall, _children_peak_rss(), out + err


_PEAK = [0]


def _children_peak_rss() -> int:
    """Peak RSS of the largest child so far (ru_maxrss is a high-water mark over all children)."""
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def fresh_rss(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, int, str]:
    """Run in a wrapper process so that ru_maxrss is this command's own."""
    wrapper = [sys.executable, str(ROOT / "benchmarks" / "measure.py"), *command]
    wall, _, out = run(wrapper, cwd, env)
    match = re.search(r"^measure: wall=([\d.]+) rss=(\d+)$", out, re.M)
    return float(match.group(1)), int(match.group(2)), out


def briefing(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def median(values: list[float]) -> float:
    return statistics.median(values)


def human(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000:
            return f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def folder_bytes(path: Path, pattern: str = "*") -> tuple[int, int]:
    files = [p for p in path.rglob(pattern) if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def search_download(site: Path) -> int:
    """Bytes fetched to answer one query: the search index and worker of the built site."""
    report = site / "search-download.json"
    if report.exists():  # written by the site build when it uses a chunked index
        return json.loads(report.read_text())["bytes_for_one_query"]
    index = site / "search" / "search_index.json"
    worker = sorted((site / "assets" / "javascripts" / "workers").glob("search*.js"))
    return (index.stat().st_size if index.exists() else 0) + sum(w.stat().st_size for w in worker)


def bench_size(n: int, runs: int, work: Path, generate_only: bool) -> dict:
    content = work / f"corpus-{n}"
    if not content.exists():
        words = make_corpus(content, n)
    else:
        words = sum(len(p.read_text("utf-8").split()) for p in content.rglob("*.*"))
    docs, site, cache = work / f"docs-{n}", work / f"site-{n}", work / f"cache-{n}"
    figures: dict[str, list[float]] = {k: [] for k in ("generate_s", "generate_rss", "extract_wps", "mkdocs_s",
                                                       "mkdocs_rss", "build_s", "build_rss", "regen_s", "regen_files")}
    env = {"BRIEFING_CACHE_DIR": str(cache)}
    for _ in range(runs):
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        wall, rss, out = fresh_rss(briefing("generate", "--content", str(content), "--docs-dir", str(docs), "--stats"), env=env)
        figures["generate_s"].append(wall)
        figures["generate_rss"].append(rss)
        figures["extract_wps"].append(float(re.search(r"extraction: ([\d.]+) words/s", out).group(1)))
        figures["regen_s"], figures["regen_files"] = _regenerate(content, docs, env, figures)
        if generate_only:
            continue
        wall, rss, _ = fresh_rss([sys.executable, "-m", "mkdocs", "build", "-q", "--config-file",
                                  str(_config(docs, work)), "--site-dir", str(site)])
        figures["mkdocs_s"].append(wall)
        figures["mkdocs_rss"].append(rss)
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        wall, rss, _ = fresh_rss(briefing("build", "--content", str(content), "--docs-dir", str(docs),
                                          "--site-dir", str(site)), env=env)
        figures["build_s"].append(wall)
        figures["build_rss"].append(rss)
    result = {k: median(v) for k, v in figures.items() if v}
    result.update(articles=n, words=words, pages=folder_bytes(docs, "*.md")[1])
    if not generate_only:
        html_bytes, html_pages = folder_bytes(site, "*.html")
        result.update(site_bytes=folder_bytes(site)[0], html_per_page=html_bytes / max(html_pages, 1),
                      search_bytes=search_download(site))
    return result


def _regenerate(content: Path, docs: Path, env: dict, figures: dict) -> tuple[list[float], list[float]]:
    """Edit one article, regenerate, and restore it."""
    victim = sorted(content.rglob("*.txt"))[len(list(content.rglob("*.txt"))) // 2]
    original = victim.read_text("utf-8")
    victim.write_text(original.replace("Key Points", "Key Points\nAn added sentence names Kharkiv once more.", 1), "utf-8")
    try:
        wall, _, out = fresh_rss(briefing("generate", "--content", str(content), "--docs-dir", str(docs)), env=env)
    finally:
        victim.write_text(original, "utf-8")
    written = int(re.search(r"(\d+) written", out).group(1))
    return figures["regen_s"] + [wall], figures["regen_files"] + [written]


def _config(docs: Path, work: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from generator.site_commands import config_for
    return config_for(ROOT / "mkdocs.yml", docs, work)


def report(results: list[dict]) -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians")
    for r in results:
        print(f"\nN = {r['articles']:,} articles ({r['words']:,} words, {r['pages']:,} pages)")
        print(f"  generate (cold)     {r['generate_s']:8.1f} s   peak RSS {human(r['generate_rss'])}")
        print(f"  extraction          {r['extract_wps']:10,.0f} words/s")
        print(f"  regenerate 1 edit   {r['regen_s']:8.2f} s   files rewritten {r['regen_files']:.0f}")
        if "mkdocs_s" in r:
            print(f"  mkdocs build        {r['mkdocs_s']:8.1f} s   peak RSS {human(r['mkdocs_rss'])}")
            print(f"  briefing build      {r['build_s']:8.1f} s   peak RSS {human(r['build_rss'])}")
            print(f"  site                {human(r['site_bytes'])}, {human(r['html_per_page'])} HTML per page")
            print(f"  one search fetches  {human(r['search_bytes'])}")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        scale = b["articles"] / a["articles"]
        print(f"\nratio N={b['articles']:,} / N={a['articles']:,} (linear = {scale:.0f}):")
        for key in ("generate_s", "mkdocs_s", "build_s", "generate_rss"):
            if key in a and key in b:
                print(f"  {key:14s} {b[key] / a[key]:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-bench"))
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = [bench_size(int(n), args.runs, args.work, args.generate_only) for n in args.sizes.split(",")]
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
