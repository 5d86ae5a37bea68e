"""Position matrices: comparison tables about one set of actors merged into one matrix."""
from __future__ import annotations

import pytest

from generator.corpus import load_corpus
from generator.export import export_data
from generator.matrices import label_key

from conftest import FIXTURES, build

TWO_ARTICLES = FIXTURES / "comparison_tables_two_articles"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(TWO_ARTICLES)


def cells(row, actor: str) -> list[tuple[str, str, int, str]]:
    return [(c.text, c.article, c.line, c.column) for c in row.cells_for(actor)]


def test_one_matrix_per_set_of_actors(corpus):
    assert [(m.id, m.title, m.actors) for m in corpus.matrices] == [
        ("ukraine-vs-russia", "Ukraine vs Russia", ("ukraine", "russia")),
        ("united-states-vs-russia", "United States vs Russia", ("united-states", "russia")),
    ]


def test_tables_with_different_wordings_feed_one_matrix(corpus):
    matrix = corpus.matrices[1]
    assert matrix.sources == (("gap-one", 0), ("gap-two", 0))
    columns = {c.column for row in matrix.rows for _, cs in row.cells for c in cs}
    assert columns == {"Trump Administration", "Russian Government", "U.S. Position", "Russian Position"}


def test_rows_merge_by_normalised_label(corpus):
    matrix = corpus.matrices[1]
    assert [(r.topic, r.labels) for r in matrix.rows] == [
        ("Sanctions", ("Sanctions", "sanctions")),
        ("NATO Expansion", ("NATO Expansion", "NATO expansion\u2019s")),
        ("Prisoner swaps", ("Prisoner swaps",)),
        ("Energy", ("Energy",)),
    ]


def test_cells_keep_article_and_line(corpus):
    row = corpus.matrices[1].rows[0]
    assert cells(row, "united-states") == [
        ("Could ease them step by step", "gap-one", 10, "Trump Administration"),
        ("Keeps pressure until a deal", "gap-two", 7, "U.S. Position"),
    ]
    assert cells(row, "russia") == [
        ("Wants them gone at once", "gap-one", 10, "Russian Government"),
        ("Calls them illegal", "gap-two", 7, "Russian Position"),
    ]
    assert {c.row_label for c in row.cells_for("russia")} == {"Sanctions", "sanctions"}


def test_matrix_in_export(corpus):
    exported = export_data(corpus)["matrices"][1]
    assert exported["id"] == "united-states-vs-russia"
    assert exported["actors"] == ["united-states", "russia"]
    energy = exported["rows"][3]
    assert energy["topic"] == "Energy"
    assert {actor: [(c["text"], c["article"]) for c in cs] for actor, cs in energy["cells"].items()} == {
        "united-states": [("Wants Europe off Russian gas", "gap-two")],
        "russia": [("Uses gas as leverage", "gap-two")],
    }


def test_other_tables_make_no_matrix(tmp_path):
    corpus = build(tmp_path, {"a.txt": "A headline about the talks\n\n| Step | Purpose |\n|---|---|\n| Talk | Trust |\n"})
    assert corpus.matrices == ()


def test_empty_cells_are_not_cells(tmp_path):
    text = "A headline about the talks\n\n| Topic | U.S. Position | Russian Position |\n|---|---|---|\n| Energy | | Gas |\n"
    matrix = build(tmp_path, {"a.txt": text}).matrices[0]
    assert cells(matrix.rows[0], "united-states") == []
    assert cells(matrix.rows[0], "russia") == [("Gas", "a", 5, "Russian Position")]


@pytest.mark.parametrize("a, b", [
    ("NATO Expansion", "nato expansion"),
    ("Ukraine\u2019s Sovereignty", "Ukraine's sovereignty"),
    ("Sanctions", "Sanction"),
    ("Energy  Influence", "Energy influence!"),
])
def test_label_key_same(a, b):
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize("a, b", [("Sanctions", "Security"), ("Gas", "Grass")])
def test_label_key_different(a, b):
    assert label_key(a) != label_key(b)
