"""The scale benchmark: prints figures for synthetic corpora of N articles.

    python3 benchmarks/run.py                                  # N = 1,000 and 10,000, 3 runs each
    python3 benchmarks/run.py --sizes 1000 --runs 5
    python3 benchmarks/run.py --sizes 100000 --generate-only   # generate alone
    python3 benchmarks/run.py --spread uniform                 # the corpus of earlier rounds

Corpora come from benchmarks/synthetic.py (deterministic, seed 7; --spread: each article
about a cast of its own, by default, or names drawn from the whole vocabulary) and are kept in
--work between invocations. Each run of each N, from nothing (no docs, no site, no cache):

1. `briefing build --stats` (cold): wall time and peak RSS of the whole build (the largest
   process: briefing, a worker, MkDocs), and from its --stats output the time and peak RSS of
   the generate step, extraction words per second, pages, and the MkDocs and Pagefind times;
   with --generate-only, `briefing generate --stats` instead;
2. one article edited (a sentence added), `briefing generate --stats` again: its wall time,
   the files it rewrote and the pages it rendered (the others' inputs were unchanged); the edit
   is undone and the docs folder brought back (not timed);
3. unless --generate-only, another article edited, `briefing build --stats` again: the rebuild
   a commit gets with the cache of the last one (generate, then MkDocs reusing the pages whose
   inputs are unchanged, then Pagefind): its wall time, MkDocs' time and the pages reused;
4. unless --generate-only, that build as the publishing workflow runs it on a fresh runner
   (.github/workflows/site.yml): no site folder, the docs folder restored by the CI cache (its
   files copied, so with new modification times), the analysis cache kept, a third article
   edited: its wall time, the pages generate rendered and MkDocs' time. The site built before
   is put back afterwards (untimed).

It prints the medians (the machine is shared and noisy: compare medians, and never assert on
timings in tests), the size of the built site and its HTML per page, the bytes a browser
downloads to answer one search (benchmarks/search_download.py, in Chromium when available),
and the ratio of the largest N to the smallest (linear growth is a ratio equal to theirs).
Figures are also written as JSON (--json) after every run, so an interrupted benchmark keeps
what it measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import SPREADS, make_corpus  # noqa: E402

EDIT = "An added sentence names Kharkiv once more."


def measured(command: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes of the largest process of its tree, output) of a command
    run through benchmarks/measure.py, so that the RSS is this command's own."""
    wrapper = [sys.executable, str(ROOT / "benchmarks" / "measure.py"), *command]
    proc = subprocess.run(wrapper, cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1", BRIEFING_PROGRESS="0", **(env or {})))
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{out[-3000:]}")
    match = re.search(r"^measure: wall=([\d.]+) rss=(\d+)$", out, re.M)
    return float(match.group(1)), int(match.group(2)), out


def briefing(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def number(pattern: str, text: str, default: float | None = None) -> float:
    match = re.search(pattern, text)
    if match is None:
        if default is not None:
            return default
        raise SystemExit(f"no match for {pattern!r} in:\n{text[-2000:]}")
    return float(match.group(1))


def corpus_for(n: int, work: Path, spread: str) -> tuple[Path, int]:
    content = work / f"corpus-{n}-{spread}"
    if not (content / ".complete").exists():
        shutil.rmtree(content, ignore_errors=True)
        make_corpus(content, n, spread=spread)
        (content / ".complete").write_text(f"made by benchmarks/synthetic.py, seed 7, spread {spread}\n")
    words = sum(len(p.read_text("utf-8").split()) for p in content.rglob("*.*") if p.suffix in (".md", ".txt"))
    return content, words


def one_run(n: int, content: Path, work: Path, generate_only: bool) -> dict:
    docs, site, cache = work / f"docs-{n}", work / f"site-{n}", work / f"cache-{n}"
    for folder in (docs, site, cache):
        shutil.rmtree(folder, ignore_errors=True)
    env = {"BRIEFING_CACHE_DIR": str(cache)}
    args = ["--content", str(content), "--docs-dir", str(docs), "--stats"]
    if generate_only:
        wall, rss, out = measured(briefing("generate", *args), env)
    else:
        wall, rss, out = measured(briefing("build", *args, "--site-dir", str(site)), env)
    figures = {
        "generate_s": number(r"(?m)^generate: ([\d.]+) s", out),
        "generate_rss": number(r"(?m)^generate: [\d.]+ s, peak RSS (\d+) MB", out) * 1e6,
        "extract_wps": number(r"extraction: ([\d.]+) words/s", out),
        "extract_s": number(r"words in ([\d.]+) s", out),
        "render_s": number(r"rendering: \d+ pages in ([\d.]+) s", out),
        "pages": number(r"rendering: (\d+) pages", out),
    }
    if generate_only:
        figures.update(generate_wall_s=wall, generate_rss=max(figures["generate_rss"], rss))
    else:
        figures.update(build_s=wall, build_rss=rss, mkdocs_s=number(r"mkdocs: ([\d.]+) s", out),
                       pagefind_s=number(r"full-text index: ([\d.]+) s", out))
    figures.update(_regenerate(content, docs, env))
    if not generate_only:
        figures.update(_rebuild(content, docs, site, env))
        figures.update(_ci_rebuild(content, docs, site, env))
    return figures


def _edited(content: Path, nth: int) -> tuple[Path, str]:
    """One article edited (a sentence added): (its path, its original text)."""
    files = sorted(content.rglob("*.txt"))
    victim = files[len(files) * nth // 4]
    original = victim.read_text("utf-8")
    edited = original.replace("Key Points", "Key Points\n" + EDIT, 1)
    victim.write_text(edited if edited != original else f"{original.rstrip()}\n\n{EDIT}\n", "utf-8")
    return victim, original


def _regenerate(content: Path, docs: Path, env: dict) -> dict:
    """Edit one article, regenerate with the cache; then undo the edit and regenerate (untimed)."""
    generate = briefing("generate", "--content", str(content), "--docs-dir", str(docs), "--stats")
    victim, original = _edited(content, 2)
    try:
        wall, _, out = measured(generate, env)
    finally:
        victim.write_text(original, "utf-8")
    measured(generate, env)
    return {"regen_s": wall, "regen_written": number(r"(\d+) written", out),
            "regen_rendered": number(r"\((\d+) rendered", out, 0.0)}


def _rebuild(content: Path, docs: Path, site: Path, env: dict) -> dict:
    """Edit another article and build again with the cache of the first build; then undo the edit."""
    wall, out = _build_edited(content, docs, site, env, 1)
    return {"rebuild_s": wall, "rebuild_mkdocs_s": number(r"mkdocs: ([\d.]+) s", out),
            "rebuild_reused": number(r"Reused (\d+) of", out), "rebuild_pages": number(r"Reused \d+ of (\d+)", out)}


def _build_edited(content: Path, docs: Path, site: Path, env: dict, nth: int) -> tuple[float, str]:
    """`briefing build --stats` with one article edited (then undone): (wall seconds, output)."""
    victim, original = _edited(content, nth)
    try:
        wall, _, out = measured(briefing("build", "--content", str(content), "--docs-dir", str(docs),
                                         "--site-dir", str(site), "--stats"), env)
    finally:
        victim.write_text(original, "utf-8")
    return wall, out


def _ci_rebuild(content: Path, docs: Path, site: Path, env: dict) -> dict:
    """Edit a third article and build as a fresh CI runner does: no site folder, the docs folder
    restored from the CI cache (copied: new modification times), the analysis cache kept."""
    kept, copied = site.with_name(site.name + ".kept"), docs.with_name(docs.name + ".restored")
    shutil.rmtree(kept, ignore_errors=True)
    shutil.rmtree(copied, ignore_errors=True)
    shutil.copytree(docs, copied, copy_function=shutil.copyfile)  # copyfile: the times are new
    shutil.rmtree(docs)
    copied.rename(docs)
    site.rename(kept)
    try:
        wall, out = _build_edited(content, docs, site, env, 3)
    finally:
        shutil.rmtree(site, ignore_errors=True)
        kept.rename(site)
    return {"ci_rebuild_s": wall, "ci_generate_s": number(r"(?m)^generate: ([\d.]+) s", out),
            "ci_rendered": number(r"\((\d+) rendered", out, 0.0), "ci_mkdocs_s": number(r"mkdocs: ([\d.]+) s", out)}


def site_figures(site: Path, query: str) -> dict:
    if not site.is_dir():
        return {}
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    html_bytes = sum(p.stat().st_size for p in html)
    from search_download import measure
    search = measure(site, query)
    return {"site_bytes": sum(p.stat().st_size for p in files), "html_pages": len(html),
            "html_per_page": html_bytes / max(len(html), 1),
            "largest_html": max((p.stat().st_size for p in html), default=0),
            "material_search_bytes": search.get("material_bytes", 0),
            "fulltext_search_bytes": search.get("fulltext_bytes", 0), "search_method": search.get("method", "")}


def human(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000:
            return f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def machine() -> str:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{os.cpu_count()} cores ({model or platform.machine()}), Python {sys.version.split()[0]}, "
            f"load average at start {load}")


def bench_size(n: int, runs: int, work: Path, generate_only: bool, query: str, results: list, save,
               spread: str) -> dict:
    content, words = corpus_for(n, work, spread)
    result: dict = {"articles": n, "words": words, "runs": []}
    results.append(result)
    for r in range(runs):
        print(f"N={n:,}: run {r + 1} of {runs} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result["runs"].append(one_run(n, content, work, generate_only))
        print(f"N={n:,}: run {r + 1} done in {time.perf_counter() - started:.0f} s: {result['runs'][-1]}",
              file=sys.stderr, flush=True)
        result["median"] = {k: statistics.median(run[k] for run in result["runs"]) for k in result["runs"][0]}
        save()
    if not generate_only:
        result["site"] = site_figures(work / f"site-{n}", query)
        save()
    return result


def report(results: list[dict], header: str) -> None:
    print(header)
    for r in results:
        m, s = r["median"], r.get("site", {})
        print(f"\nN = {r['articles']:,} articles ({r['words']:,} words, {m['pages']:,.0f} pages), "
              f"median of {len(r['runs'])} runs")
        print(f"  generate (cold)      {m['generate_s']:8.1f} s   peak RSS {human(m['generate_rss'])}")
        print(f"    extraction         {m['extract_wps']:10,.0f} words/s ({m['extract_s']:.1f} s)")
        print(f"    rendering          {m['render_s']:8.1f} s")
        print(f"  regenerate, 1 edit   {m['regen_s']:8.2f} s   files rewritten {m['regen_written']:.0f}, "
              f"pages rendered {m['regen_rendered']:.0f}")
        if "build_s" in m:
            print(f"  MkDocs build         {m['mkdocs_s']:8.1f} s")
            print(f"  Pagefind index       {m['pagefind_s']:8.1f} s")
            print(f"  briefing build       {m['build_s']:8.1f} s   peak RSS {human(m['build_rss'])}")
        if "rebuild_s" in m:
            print(f"  build again, 1 edit  {m['rebuild_s']:8.1f} s   MkDocs {m['rebuild_mkdocs_s']:.1f} s, "
                  f"{m['rebuild_reused']:,.0f} of {m['rebuild_pages']:,.0f} pages reused")
        if "ci_rebuild_s" in m:
            print(f"  as CI builds, 1 edit {m['ci_rebuild_s']:8.1f} s   generate {m['ci_generate_s']:.1f} s "
                  f"({m['ci_rendered']:,.0f} pages rendered), MkDocs {m['ci_mkdocs_s']:.1f} s")
        if s:
            print(f"  site                 {human(s['site_bytes'])}, {s['html_pages']:,} HTML pages, "
                  f"{human(s['html_per_page'])} HTML per page (largest {human(s['largest_html'])})")
            print(f"  one search fetches   {human(s['material_search_bytes'])} (site search: titles, summaries, "
                  f"entity pages), {human(s['fulltext_search_bytes'])} (full text of the articles) [{s['search_method']}]")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        print(f"\nratio N={b['articles']:,} / N={a['articles']:,} (linear = {b['articles'] / a['articles']:.0f}):")
        for k in ("extract_s", "render_s", "generate_s", "generate_rss", "regen_s", "mkdocs_s", "build_s", "build_rss",
                  "rebuild_s", "ci_rebuild_s"):
            if k in a["median"] and k in b["median"] and a["median"][k]:
                print(f"  {k:14s} {b['median'][k] / a['median'][k]:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-bench"))
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--query", default="Kharkiv", help="the search measured (default: Kharkiv)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON (after every run)")
    parser.add_argument("--spread", choices=SPREADS, default="cast",
                        help="the synthetic corpus: a cast per article (default) or names from the whole vocabulary")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    header = f"machine: {machine()}\ncorpus: benchmarks/synthetic.py, seed 7, spread {args.spread}"
    results: list[dict] = []

    def save() -> None:
        if args.json:
            args.json.write_text(json.dumps({"machine": header, "results": results}, indent=2))

    for n in (int(x) for x in args.sizes.split(",")):
        bench_size(n, args.runs, args.work, args.generate_only, args.query, results, save, args.spread)
    report(results, header)


if __name__ == "__main__":
    main()
