"""The bundled sample corpus in content/: valid, exercising every structure, in our own words."""
from __future__ import annotations

import dataclasses
import re

import pytest

from generator.checking import check_all

from conftest import SAMPLE_CONTENT, SHARED_CORPUS, in_ci

COPY_WINDOW = 8  # this many consecutive words in common counts as copied


@pytest.fixture(scope="module")
def checked():
    corpus, _, diagnostics = check_all(SAMPLE_CONTENT)
    return corpus, diagnostics


@pytest.fixture(scope="module")
def corpus(checked):
    assert checked[0] is not None, [str(d) for d in checked[1]]
    return checked[0]


def surfaces(corpus) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in corpus.mentions:
        found.setdefault(m.surface, set()).add(m.entity)
    return found


def test_check_passes_without_errors_or_warnings(checked):
    corpus, diagnostics = checked
    assert corpus is not None
    assert [str(d) for d in diagnostics] == []


def test_six_to_ten_articles_mixing_md_and_txt(corpus):
    assert 6 <= len(corpus.articles) <= 10
    md = [a for a in corpus.articles if a.source.endswith(".md")]
    txt = [a for a in corpus.articles if a.source.endswith(".txt")]
    assert md and txt
    assert all(a.meta.title and a.title_origin == "front-matter" for a in md)
    assert any("/" in a.source for a in corpus.articles)  # subfolders


def test_title_kinds(corpus):
    origins = {a.id: a.title_origin for a in corpus.articles}
    assert {"front-matter", "headline", "lead"} <= set(origins.values())
    assert corpus.article("mt-kursk-exchange").title == (
        "Selenskyj offers exchange of territory, Kremlin rejects: Cursk as bargaining mass")
    assert corpus.article("wire-toretsk").title == "Russia claims Toretsk as Ukrainian units cling to the ruins"
    for article in corpus.articles:
        assert 10 <= len(article.title) <= 120
        assert article.title not in {text for _, text in article.boilerplate}


def test_every_block_kind(corpus):
    kinds = {b.kind for a in corpus.articles for b in a.blocks}
    assert kinds == {"heading", "paragraph", "list", "table"}
    headings = {b.text for a in corpus.articles for b in a.blocks if b.kind == "heading"}
    assert {"Closing Remarks", "Key Points", "expectations of negotiations"} <= headings


def test_tables_with_and_without_outer_pipes(corpus):
    sources = [b.text.split("\n")[0] for a in corpus.articles for b in a.blocks if b.kind == "table"]
    assert any(s.startswith("|") for s in sources)
    assert any(not s.startswith("|") for s in sources)


def test_two_wordings_merge_into_the_us_russia_matrix(corpus):
    matrix = next(m for m in corpus.matrices if m.id == "united-states-vs-russia")
    columns: dict[str, set[str]] = {}
    for row in matrix.rows:
        for actor, cells in row.cells:
            columns.setdefault(actor, set()).update(c.column for c in cells)
    assert {"Trump Administration", "U.S. Position"} <= columns["united-states"]
    assert {"Russian Government", "Russian Position"} <= columns["russia"]
    tables = {(a, t) for a, t in matrix.sources}
    assert len(tables) >= 2 and len({a for a, _ in tables}) >= 2
    sanctions = next(r for r in matrix.rows if r.topic == "Sanctions")
    assert len({c.article for c in sanctions.cells_for("russia")}) >= 2


def test_region_keyed_table(corpus):
    keyed = [t for a in corpus.articles for t in a.tables if t.row_entities]
    assert keyed
    assert {"donetsk-oblast", "kherson-oblast"} <= {e for t in keyed for _, e in t.row_entities}


@pytest.mark.parametrize("surface, entity", [
    ("Selenskyj", "volodymyr-zelensky"),
    ("Cherson", "kherson"),
    ("Kupjansk", "kupiansk"),
    ("Cursk", "kursk"),
    ("kursk-region", "kursk-oblast"),
])
def test_variant_spellings_link(corpus, surface, entity):
    assert surfaces(corpus)[surface] == {entity}


def test_kiev_links(corpus):
    assert surfaces(corpus)["Kiev"] <= {"kyiv", "ukraine"}


def test_boilerplate_removed_and_unlinked(corpus):
    removed = {text for a in corpus.articles for _, text in a.boilerplate}
    assert {"Listen to article", "|"} <= removed
    assert any(text.startswith("Read also:") for text in removed)
    assert any(text.startswith("Note: Every piece of content is") for text in removed)
    assert any("republished" in text for text in removed)
    assert any(text.startswith("Download the") for text in removed)  # content/boilerplate.yaml
    for article in corpus.articles:
        lines = {n for n, _ in article.boilerplate}
        assert not any(m.line in lines for m in corpus.mentions if m.article == article.id)


# --- written in our own words ----------------------------------------------------------

def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:'\w+)*", text.lower().replace("\u2019", "'"))


def test_no_text_copied_from_the_shared_corpus():
    files = sorted(SHARED_CORPUS.glob("*.txt")) if SHARED_CORPUS.is_dir() else []
    if not files:
        if in_ci():
            pytest.fail(f"{SHARED_CORPUS} is missing")
        pytest.skip(f"{SHARED_CORPUS} is missing")
    shared = set()
    for path in files:
        w = words(path.read_text(encoding="utf-8"))
        shared |= {tuple(w[i:i + COPY_WINDOW]) for i in range(len(w) - COPY_WINDOW + 1)}
    copied = []
    for path in sorted(p for p in SAMPLE_CONTENT.rglob("*") if p.is_file()):
        w = words(path.read_text(encoding="utf-8"))
        copied += [(path.name, " ".join(w[i:i + COPY_WINDOW])) for i in range(len(w) - COPY_WINDOW + 1)
                   if tuple(w[i:i + COPY_WINDOW]) in shared]
    assert copied == []


def test_model_is_frozen_all_the_way_down(corpus):
    def walk(value, where: str) -> None:
        assert not isinstance(value, (list, dict, set)), where
        if dataclasses.is_dataclass(value):
            assert type(value).__dataclass_params__.frozen, where
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), f"{where}.{f.name}")
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk(corpus, "corpus")
    with pytest.raises(dataclasses.FrozenInstanceError):
        corpus.articles[0].title = "changed"  # type: ignore[misc]
    for record in (corpus.mentions[0], corpus.articles[0].sentences[0], corpus.figures[0]):  # model.record
        with pytest.raises(AttributeError):
            record.line = 0  # type: ignore[misc]
