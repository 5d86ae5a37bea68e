"""The benchmark's pieces work (on a tiny corpus), and the build pipeline it measures gives the
site plain MkDocs gives. Behaviour only: no timing is asserted anywhere.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SAMPLE_CONTENT, SHARED_CORPUS, folder_digest, run_cli
from generator import parallel, progress, search

sys.path.insert(0, str(ROOT / "benchmarks"))
import run as bench  # noqa: E402
import search_download  # noqa: E402
from synthetic import load_vocabulary, make_corpus  # noqa: E402


def test_synthetic_corpus_is_deterministic(tmp_path):
    words = make_corpus(tmp_path / "a", 12)
    assert make_corpus(tmp_path / "b", 12) == words
    assert folder_digest(tmp_path / "a") == folder_digest(tmp_path / "b")
    assert make_corpus(tmp_path / "c", 12, seed=8) and folder_digest(tmp_path / "c") != folder_digest(tmp_path / "a")
    texts = [p.read_text("utf-8") for p in (tmp_path / "a").rglob("*.*")]
    assert len(texts) == 12 and all(len(t.split()) > 400 for t in texts)
    assert make_corpus(tmp_path / "d", 12, spread="uniform") and folder_digest(tmp_path / "d") != folder_digest(tmp_path / "a")


def _places_an_article(folder: Path) -> list[int]:
    """How many distinct places of the maker's vocabulary each article names."""
    names = [c["name"] for c in load_vocabulary()["city"] if c.get("parent")]
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b")
    return [len(set(pattern.findall(p.read_text("utf-8")))) for p in sorted(folder.rglob("*.*")) if p.suffix in (".md", ".txt")]


def test_an_article_is_about_a_cast_of_places_unless_the_spread_is_uniform(tmp_path):
    make_corpus(tmp_path / "cast", 30)
    make_corpus(tmp_path / "uniform", 30, spread="uniform")
    cast, uniform = _places_an_article(tmp_path / "cast"), _places_an_article(tmp_path / "uniform")
    assert max(cast) <= 20 < min(uniform), (cast, uniform)  # a cast of 5-9, and a few passing mentions
    with pytest.raises(ValueError, match="spread is one of cast, uniform, not 'even'"):
        make_corpus(tmp_path / "even", 1, spread="even")


def test_generate_stats_print_what_the_benchmark_reads(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    make_corpus(tmp_path / "content", 10)
    status, out, err = run_cli(["generate", "--content", str(tmp_path / "content"), "--docs-dir",
                                str(tmp_path / "docs"), "--stats"], capsys)
    assert status == 0, err
    assert bench.number(r"extraction: ([\d.]+) words/s", out) > 0
    assert bench.number(r"rendering: (\d+) pages", out) > 10
    assert bench.number(r"(?m)^generate: [\d.]+ s, peak RSS (\d+) MB", out) > 0
    assert re.search(r"\((\d+) rendered, (\d+) with unchanged inputs\)", out)


def test_one_benchmark_run_in_generate_only_mode(tmp_path):
    content, words = bench.corpus_for(8, tmp_path, "cast")
    assert words > 0 and (content / ".complete").exists()
    figures = bench.one_run(8, content, tmp_path, generate_only=True)
    for name in ("generate_s", "generate_rss", "extract_wps", "render_s", "pages", "regen_s", "regen_written"):
        assert figures[name] >= 0, name
    assert figures["regen_written"] >= 1  # the edited article's page at least
    assert figures["pages"] > 8


def test_one_benchmark_run_with_the_build_and_a_rebuild_from_the_cache(tmp_path):
    content, _ = bench.corpus_for(8, tmp_path, "cast")
    figures = bench.one_run(8, content, tmp_path, generate_only=False)
    for name in ("build_s", "mkdocs_s", "pagefind_s", "rebuild_s", "rebuild_mkdocs_s", "ci_rebuild_s", "ci_mkdocs_s"):
        assert figures[name] > 0, name
    assert figures["rebuild_pages"] == len(list((tmp_path / "docs-8").rglob("*.md")))
    assert 0 < figures["rebuild_reused"] < figures["rebuild_pages"]  # the edited article's pages were built again
    # as CI builds: the restored docs folder's pages are not rendered again, only the edit's
    assert 0 < figures["ci_rendered"] < figures["pages"]
    assert (tmp_path / "site-8" / "index.html").is_file() and not (tmp_path / "site-8.kept").exists()
    assert not (tmp_path / "docs-8.restored").exists()
    assert not any(edited for edited in content.rglob("*.txt") if bench.EDIT in edited.read_text("utf-8"))


def test_report_prints_medians_and_the_ratio(capsys):
    run = {"generate_s": 1.0, "generate_rss": 1e8, "extract_wps": 1e5, "extract_s": 0.5, "render_s": 0.3,
           "pages": 100, "regen_s": 0.2, "regen_written": 3, "regen_rendered": 5}
    results = [{"articles": n, "words": n * 600, "runs": [run], "median": {k: v * n for k, v in run.items()}}
               for n in (10, 100)]
    bench.report(results, "machine: test")
    out = capsys.readouterr().out
    assert "N = 100 articles" in out and "ratio N=100 / N=10 (linear = 10)" in out
    assert re.search(r"generate_s\s+10\.0", out)


def test_mkdocs_floor_converts_a_sample_and_builds_the_tree_with_one_line_pages(tmp_path, capsys):
    docs = tmp_path / "docs"
    assert run_cli(["generate", "--content", str(SAMPLE_CONTENT), "--docs-dir", str(docs)], capsys)[0] == 0
    pages = list(docs.rglob("*.md"))
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "mkdocs_floor.py"), str(docs), "--every", "4",
                             "--jobs", "2"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"{len(pages):,} pages, " in out
    assert re.search(rf"converting {len(pages[::4]):,} of them \([\d.]+ MB\) in one process: [\d.]+ s, [\d.]+ µs a byte", out)
    built = re.search(r"the same pages with one line each, built on 2 workers: [\d.]+ s for ([\d,]+) HTML pages .*, "
                      r"([\d.]+) kB of HTML a page", out)
    assert built and int(built.group(1).replace(",", "")) == len(pages) + 1  # and the theme's 404 page
    assert 5 < float(built.group(2)) < 40  # the theme's frame around one line
    assert re.search(r"floor of the MkDocs build: \d+ s \(conversion \d+ \+ pages \d+\)", out)

def test_search_download_estimate_from_files(tmp_path):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_text("x" * 1000)
    (site / "pagefind" / "index").mkdir(parents=True)
    (site / "pagefind" / "pagefind-ui.js").write_text("y" * 300)
    (site / "pagefind" / "index" / "en_1.pf_index").write_bytes(b"z" * 50)
    found = search_download._files(site)
    assert found["material_bytes"] == 1000 and found["fulltext_bytes"] == 350
    (site / "pagefind" / "1" / "index").mkdir(parents=True)  # a second shard, listed in shards.json
    (site / "pagefind" / "shards.json").write_text('{"bundles": ["1/"]}')
    (site / "pagefind" / "1" / "pagefind-entry.json").write_text("e" * 40)
    (site / "pagefind" / "1" / "index" / "en_2.pf_index").write_bytes(b"z" * 60)
    assert search_download._files(site)["fulltext_bytes"] == 350 + 19 + 40 + 60


def test_search_download_counts_each_fetched_file_once_from_the_site(tmp_path):
    """What a search fetched is counted from the served files (a response body the browser has
    let go can no longer be read): each URL once (with another query string it is another
    download of the same file), a folder URL as its index.html, a URL with no file (a 404) not
    counted."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_text("x" * 1000)
    (site / "articles").mkdir()
    (site / "articles" / "index.html").write_text("y" * 30)
    base = "http://127.0.0.1:8000/"
    urls = [base + "search/search_index.json", base + "search/search_index.json?v=2", base + "articles/",
            base + "search/search_index.json", base + "missing.js"]
    assert search_download._sizes(site, urls) == {"bytes": 2030, "files": 3}


def test_progress_bar_only_when_asked(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    with progress.Progress("reading", 3, show=False) as bar:
        bar.advance(3)
    assert stream.getvalue() == ""
    with progress.Progress("reading", 3, show=True) as bar:
        for _ in range(3):
            bar.advance()
    shown = stream.getvalue()
    assert "reading" in shown and "3/3" in shown and shown.endswith("\r\x1b[K")
    monkeypatch.setenv("BRIEFING_PROGRESS", "0")
    assert not progress.enabled()


def _square_and_pid(item):
    return item * item, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
def test_costliest_items_first_still_gives_results_in_item_order(workers):
    """The parallel MkDocs build hands out its largest pages first (``costs``): the results
    come back in the order of the items all the same, on workers or in this process."""
    items = list(range(parallel.MIN_ITEMS + 13))
    costs = [(7 * i) % 11 for i in items]
    results = parallel.pmap(_square_and_pid, items, workers=workers, costs=costs)
    assert [square for square, _ in results] == [i * i for i in items]
    if workers > 1 and parallel.can_fork():
        assert os.getpid() not in {pid for _, pid in results}


@pytest.mark.parametrize("resident, available, forked", [(10, 15, False), (10, 25, True), (None, None, True)],
                         ids=["room-for-one-copy", "room-for-two", "memory-unknown"])
def test_workers_only_as_many_as_memory_holds_copies_of_this_process(monkeypatch, resident, available, forked):
    """A forked worker comes to copy the parent's objects it touches (their reference counts):
    with memory for one more copy of this process only, the work runs here."""
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(parallel, "memory", lambda: (resident, available))
    items = list(range(parallel.MIN_ITEMS))
    results = parallel.pmap(_square_and_pid, items, workers=2)
    assert [square for square, _ in results] == [i * i for i in items]
    assert (os.getpid() not in {pid for _, pid in results}) is forked


def test_memory_is_read_from_proc_on_linux():
    resident, available = parallel.memory()
    if not Path("/proc/meminfo").is_file():
        assert (resident, available) == (None, None)
        return
    assert 0 < resident < available + resident


@pytest.mark.parametrize("content", [SAMPLE_CONTENT, FIXTURES / "hostile" / "renders", SHARED_CORPUS],
                         ids=["sample", "hostile", "user-corpus"])
def test_parallel_mkdocs_build_writes_the_site_plain_mkdocs_writes(tmp_path, content):
    """`briefing build` converts pages on worker processes, with the inline patterns no
    generated page can match left out: same HTML and search index as `mkdocs build` of the same
    docs folder, on the hostile corpus (payloads of every kind of Markdown) too."""
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BRIEFING_CACHE_DIR=str(tmp_path / "cache"), SOURCE_DATE_EPOCH="0")
    docs = tmp_path / "docs"
    generated = subprocess.run([sys.executable, "-m", "generator", "generate", "--content", str(content),
                                "--docs-dir", str(docs)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert generated.returncode == 0, generated.stderr
    from generator.site_commands import config_for
    config = config_for(ROOT / "mkdocs.yml", docs, tmp_path)
    sites = {}
    for name, module in (("plain", "mkdocs"), ("parallel", "generator.mkdocs_parallel")):
        command = [sys.executable, "-m", module, *(["build"] if module == "mkdocs" else []), "--config-file",
                   str(config), "--site-dir", str(tmp_path / name), "--strict"]
        if name == "parallel":
            command += ["--jobs", "2"]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        sites[name] = {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                       for p in (tmp_path / name).rglob("*") if p.is_file()}
    assert sorted(sites["plain"]) == sorted(sites["parallel"])
    assert [rel for rel in sites["plain"] if sites["plain"][rel] != sites["parallel"][rel]] == []


def test_objects_made_without_the_collector_are_left_in_its_oldest_generation():
    import gc

    from generator.corpus import no_gc
    assert gc.isenabled()
    with no_gc():
        assert not gc.isenabled()
        made = [[n] for n in range(1000)]
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)}
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert not any(id(o) in young for o in made)
    assert all(id(o) in oldest for o in made)


def test_block_level_answers_are_the_markdown_ones_asked_once_per_tag():
    import xml.etree.ElementTree as etree

    from markdown import Markdown

    from generator.mkdocs_parallel import _remembered
    md = Markdown(extensions=["md_in_html"])
    asked = []
    remembered = _remembered(lambda tag: asked.append(tag) or md.is_block_level(tag))
    tags = ["p", "P", "a", "div/", "span", "table", "strong", etree.Comment, "details", None] * 3
    assert [remembered(tag) for tag in tags] == [md.is_block_level(tag) for tag in tags]
    assert asked == tags[:10]


def test_parallel_mkdocs_build_reads_only_the_nav_pages_before_the_workers_start(tmp_path, monkeypatch):
    """Workers inherit what the parent holds: the parent reads the navigation's pages (every
    page shows their titles), not the source of every page (hundreds of MB at 10,000 articles)."""
    from mkdocs.config import load_config
    from generator import mkdocs_parallel

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("---\ntitle: Home\n---\n\n# Home\n\n[One](one.md)\n", "utf-8")
    for name in ("one", "two"):
        (docs / f"{name}.md").write_text(f"# Page {name}\n\nText.\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: docs\ntheme:\n  name: material\n"
                                         "plugins:\n  - search\nnav:\n  - Home: index.md\n", "utf-8")
    seen = {}
    real_pmap = parallel.pmap

    def spy(func, items, *args, **kwargs):
        seen.update({f.src_uri: f.page.markdown is not None for f in mkdocs_parallel._STATE["doc_files"]})
        return real_pmap(func, items, *args, **kwargs)

    monkeypatch.setattr(parallel, "pmap", spy)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_parallel.build(config, 2)
    assert seen == {"index.md": True, "one.md": False, "two.md": False}
    assert (tmp_path / "site" / "two" / "index.html").is_file()


def test_build_makes_a_full_text_index_of_the_articles(tmp_path):
    if search.executable() is None:
        pytest.skip("pagefind-bin is not installed")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BRIEFING_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(SAMPLE_CONTENT),
                             "--docs-dir", str(tmp_path / "docs"), "--site-dir", str(tmp_path / "site"), "--strict"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    bundle = tmp_path / "site" / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    pages = sum(language["page_count"] for language in entry["languages"].values())
    assert pages == len(list((SAMPLE_CONTENT / "articles").rglob("*.*")))  # every article, nothing else
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text("utf-8"))
    locations = {d["location"] for d in index["docs"]}
    assert "regions/kursk-oblast/" in locations
    assert not any(loc.startswith("articles/") or loc.startswith(("figures/", "quotes/")) for loc in locations)
    assert not any("#mentions" in loc for loc in locations)
    articles_page = (tmp_path / "site" / "articles" / "index.html").read_text("utf-8")
    assert 'class="briefing-fulltext"' in articles_page
