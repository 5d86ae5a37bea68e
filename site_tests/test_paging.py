"""Paged lists (issue 5): an entity page, figures.md and quotes.md show the latest articles and
link to archive pages holding every mention, position, table row, quote and figure.

The bundled sample has 8 articles: with ``LATEST_SHOWN`` 2 and ``CHUNK_ARTICLES`` 3 (the
``paged`` fixture of conftest) its busy entities get pages of 3 articles. Behaviour only: nothing here measures time.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, run_cli
from generator import planning, views
from generator.checking import load_site
from sitebuild import broken_links

RUSSIA = "regions/russia.md"
# The sample's articles that say something about Russia, oldest first by (date, id).
RUSSIA_ARTICLES = ["listen-kupiansk", "mt-kursk-exchange", "wire-toretsk", "2024-11-atacms-red-lines",
                   "2025-01-kursk-pressure", "2025-01-black-sea-shipping", "washington-moscow-gap", "ceasefire-terms"]


def _generate_sample(tmp_path: Path, capsys) -> Path:
    out = tmp_path / "docs"
    status, _, err = run_cli(["generate", "--content", str(SAMPLE_CONTENT), "--docs-dir", str(out), "--no-cache"], capsys)
    assert status == 0, err
    return out


@pytest.fixture
def docs(paged, tmp_path, capsys) -> Path:
    return _generate_sample(tmp_path, capsys)


def _read(docs: Path, rel: str) -> str:
    return (docs / rel).read_text("utf-8")


def _mention_articles(text: str) -> list[str]:
    """The articles whose sentences a page lists as mentions (the ¶ links of its bullets)."""
    return list(dict.fromkeys(re.findall(r"^- .*\[¶\]\((?:\.\./)*articles/([^.#]+)\.md#p\d+\)$", text, re.M)))


def test_archive_pages_take_the_articles_oldest_first_in_chunks(paged):
    corpus, _ = load_site(SAMPLE_CONTENT)
    pages = planning.archives(corpus)[RUSSIA]
    assert [p.path for p in pages] == [f"regions/russia/mentions/{n}.md" for n in (1, 2, 3)]
    assert [p.articles for p in pages] == [tuple(RUSSIA_ARTICLES[i:i + 3]) for i in (0, 3, 6)]
    assert [p.title for p in pages] == ["Russia: mentions in articles 1–3",
                                        "Russia: mentions in articles 4–6 (2024-11-22 – 2025-01-17)",
                                        "Russia: mentions in articles 7–8 (2025-02-20 – 2025-03-14)"]
    assert [p.last for p in pages] == [False, False, True]
    assert {p.path for p in planning.plan_pages(corpus)} >= {p.path for p in pages}


def test_no_archive_when_the_latest_articles_are_all(monkeypatch):
    monkeypatch.setattr(planning, "LATEST_SHOWN", 8)
    corpus, _ = load_site(SAMPLE_CONTENT)
    assert planning.archives(corpus) == {}
    assert not [p for p in planning.plan_pages(corpus) if p.kind == "archive"]


def test_entity_page_shows_the_mentions_of_the_latest_articles_newest_first(docs):
    page = _read(docs, RUSSIA)
    assert _mention_articles(page) == ["ceasefire-terms", "washington-moscow-gap"]
    assert "*The mentions in the latest 2 of 8 articles, newest first;" in page
    assert "## All mentions { #archive data-search-exclude }" in page
    assert ("[1–3](russia/mentions/1.md) · [4–6 \\(2024-11-22 – 2025-01-17\\)](russia/mentions/2.md) · "
            "[7–8 \\(2025-02-20 – 2025-03-14\\)](russia/mentions/3.md)") in page


def test_every_mention_is_on_exactly_one_archive_page(docs):
    corpus, _ = load_site(SAMPLE_CONTENT)
    sentences = {(m.article, m.sentence): (m.article, m.block) for m in corpus.mentions if m.entity == "russia"}
    got = []
    for n in (1, 2, 3):
        text = _read(docs, f"regions/russia/mentions/{n}.md")
        got += [(a, int(p) - 1) for a, p in re.findall(r"^- .*\[¶\]\(\.\./\.\./\.\./articles/([^.#]+)\.md#p(\d+)\)$",
                                                       text, re.M)]
    assert len(got) == len(sentences)  # one bullet per sentence naming it
    assert sorted(got) == sorted(sentences.values())


def test_archive_page_has_title_links_and_no_search(docs):
    text = _read(docs, "regions/russia/mentions/2.md")
    assert text.startswith('---\ntitle: "Russia: mentions in articles 4–6 (2024-11-22 – 2025-01-17)"\n'
                           "search:\n  exclude: true\n---\n")
    assert text.count("[← previous](1.md) · [Russia](../../russia.md) · [next →](3.md)") == 2
    assert _mention_articles(text) == ["2024-11-atacms-red-lines", "2025-01-kursk-pressure", "2025-01-black-sea-shipping"]
    last = _read(docs, "regions/russia/mentions/3.md")
    assert "[← previous](2.md) · [Russia](../../russia.md) · [first](1.md)\n" in last
    first = _read(docs, "regions/russia/mentions/1.md")
    assert "[Russia](../../russia.md) · [next →](2.md)\n" in first


def test_every_position_and_table_row_is_on_an_archive_page(docs):
    corpus, _ = load_site(SAMPLE_CONTENT)
    archive = "".join(_read(docs, f"regions/russia/mentions/{n}.md") for n in (1, 2, 3))
    cells = [c for m in corpus.matrices for r in m.rows for c in r.cells_for("russia")]
    assert cells
    for c in cells:
        assert f"#p{corpus.article(c.article).tables[c.table].block + 1})</small>" in archive
    assert archive.count("<small>— [¶") == len(cells)
    rows = [(a.id, t.block) for a in corpus.articles for t in a.tables for _, region in t.row_entities
            if region == "kursk-oblast"]
    assert rows
    kursk = "".join(p.read_text("utf-8") for p in sorted((docs / "regions/kursk-oblast/mentions").glob("*.md")))
    assert kursk.count("- **Source:** [¶") == len(rows)


def test_figures_and_quotes_keep_conflicts_and_page_the_rest(docs):
    corpus, _ = load_site(SAMPLE_CONTENT)
    figures = _read(docs, "figures.md")
    assert "## Where the sources disagree" in figures and "## Latest figures { data-search-exclude }" in figures
    assert figures.count("| [") == len(corpus.conflicts) + sum(
        1 for f in corpus.figures if f.article in ("ceasefire-terms", "washington-moscow-gap"))
    archive = "".join(p.read_text("utf-8") for p in sorted((docs / "figures").glob("*.md")))
    assert archive.count("\n| ") - 2 * len(list((docs / "figures").glob("*.md"))) == len(corpus.figures)
    quotes = "".join(p.read_text("utf-8") for p in sorted((docs / "quotes").glob("*.md")))
    assert quotes.count('!!! quote ""') == len(corpus.quotes)
    assert _read(docs, "quotes.md").count('!!! quote ""') == sum(
        1 for q in corpus.quotes if q.article in ("ceasefire-terms", "washington-moscow-gap"))


def test_latest_breaks_date_ties_by_id_and_keeps_undated_last(paged):
    corpus, overrides = load_site(SAMPLE_CONTENT)
    ctx = views.Context(corpus, overrides)
    ctx._dates = {"a": "2025-01-01", "b": "2025-01-01", "c": "", "d": "2024-12-31"}
    items = [("c", 1), ("a", 1), ("b", 1), ("d", 1), ("b", 2)]
    assert ctx.latest(items, lambda i: i[0]) == ([("b", 1), ("b", 2), ("a", 1)], 4)


def test_strict_build_links_every_archive_page_and_keeps_them_out_of_search(paged, tmp_path, capsys):
    site = tmp_path / "site"
    status, out, err = run_cli(["build", "--content", str(SAMPLE_CONTENT), "--docs-dir", str(tmp_path / "docs"),
                                "--site-dir", str(site), "--strict", "--no-cache"], capsys)
    assert status == 0, out + err
    assert broken_links(site) == []
    for n in (1, 2, 3):
        assert (site / "regions" / "russia" / "mentions" / str(n) / "index.html").is_file()
    assert (site / "figures" / "1" / "index.html").is_file() and (site / "quotes" / "1" / "index.html").is_file()
    # Each article opens its group as an anchored paragraph, not a heading: the page's table of
    # contents (and so its HTML) does not grow with the articles it holds.
    archive = (site / "regions" / "russia" / "mentions" / "2" / "index.html").read_text("utf-8")
    assert re.findall(r'<p class="briefing-source" id="(article-\d+)">', archive) == ["article-4", "article-5", "article-6"]
    assert 'href="#article-' not in archive
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    located = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "regions/russia/" in located
    assert not [loc for loc in located if "/mentions/" in loc or loc.startswith(("figures/", "quotes/"))]


# --- matrix pages: the sample's United States vs Russia matrix merges tables of two articles ---

MATRIX = "matrices/united-states-vs-russia.md"
MATRIX_ARTICLES = ["washington-moscow-gap", "ceasefire-terms"]  # oldest first


@pytest.fixture
def tiny_docs(one_per_page, tmp_path, capsys) -> Path:
    return _generate_sample(tmp_path, capsys)


def _matrix(corpus):
    return next(m for m in corpus.matrices if planning.matrix_path(m.id) == MATRIX)


def _cells(matrix, article_id=None) -> list:
    return [c for r in matrix.rows for _, cells in r.cells for c in cells if article_id in (None, c.article)]


def test_matrix_page_shows_the_latest_articles_cells_and_counts_the_older(tiny_docs):
    corpus, _ = load_site(SAMPLE_CONTENT)
    matrix = _matrix(corpus)
    page = _read(tiny_docs, MATRIX)
    cited = re.findall(r"\]\(\.\./articles/([^.#]+)\.md#p\d+\)</small>", page)
    assert cited == ["ceasefire-terms"] * len(_cells(matrix, "ceasefire-terms"))
    older = sum(int(n) for n in re.findall(r"<small>\[\+(\d+) in older articles\]\(#archive\)</small>", page))
    assert older == len(_cells(matrix, "washington-moscow-gap")) > 0
    older_only = "<small>[+1 in older articles](#archive)</small>"
    assert f"| **European Peacekeepers** | {older_only} | {older_only} |" in page
    assert page.count("{ #source-") == sum(1 for a, _ in matrix.sources if a == "ceasefire-terms")
    assert f"merged from {len(matrix.sources)} comparison tables in 2 articles." in page
    assert "## All positions { #archive data-search-exclude }" in page
    assert ("[1 \\(2025-02-20\\)](united-states-vs-russia/1.md) · "
            "[2 \\(2025-03-14\\)](united-states-vs-russia/2.md)") in page


def test_every_matrix_cell_and_source_table_is_on_its_articles_archive_page(tiny_docs):
    corpus, _ = load_site(SAMPLE_CONTENT)
    matrix = _matrix(corpus)
    pages = planning.archives(corpus)[MATRIX]
    assert [(p.path, p.articles) for p in pages] == [
        (f"matrices/united-states-vs-russia/{n}.md", (a,)) for n, a in enumerate(MATRIX_ARTICLES, 1)]
    for page in pages:
        (article_id,) = page.articles
        text = _read(tiny_docs, page.path)
        assert text.startswith('---\ntitle: "United States vs Russia: positions in articles ')
        assert "search:\n  exclude: true\n" in text
        blocks = sorted(corpus.article(article_id).tables[c.table].block + 1 for c in _cells(matrix, article_id))
        cited = re.findall(rf"<small>— \[¶(\d+)\]\(\.\./\.\./articles/{article_id}\.md#p\1\)</small>", text)
        assert sorted(map(int, cited)) == blocks
        assert text.count("**Source table** ([¶") == sum(1 for a, _ in matrix.sources if a == article_id)
    cells = "".join(_read(tiny_docs, p.path) for p in pages).count("<small>— [¶")
    assert cells == len(_cells(matrix))


def test_strict_build_of_matrix_archive_pages(one_per_page, tmp_path, capsys):
    site = tmp_path / "site"
    status, out, err = run_cli(["build", "--content", str(SAMPLE_CONTENT), "--docs-dir", str(tmp_path / "docs"),
                                "--site-dir", str(site), "--strict", "--no-cache"], capsys)
    assert status == 0, out + err
    assert broken_links(site) == []
    for n in (1, 2):
        archive = (site / "matrices" / "united-states-vs-russia" / str(n) / "index.html").read_text("utf-8")
        assert re.findall(r'<p class="briefing-source" id="(article-\d+)">', archive) == [f"article-{n}"]
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    located = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "matrices/united-states-vs-russia/" in located
    assert not [loc for loc in located if loc.startswith("matrices/united-states-vs-russia/") and loc.count("/") > 2]
