"""Tables: parsing pipe tables exactly and classifying them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.structure import parse_cells, split_blocks
from generator.tables import classify, column_actor, parse_table

from conftest import build, mentions_of, numbered, only_article


def tables_in(text: str):
    blocks = [b for b in split_blocks(numbered(text)) if b.kind == "table"]
    return [parse_table(b, n) for n, b in enumerate(blocks)]


def one_table(text: str):
    tables = tables_in(text)
    assert len(tables) == 1
    return tables[0]


# --- parsing ---------------------------------------------------------------------------

def test_table_with_outer_pipes():
    table = one_table("| Topic | Kyiv | Moscow |\n|---|---|---|\n| Ports | open | blockade |\n")
    assert table.header == ("Topic", "Kyiv", "Moscow")
    assert table.rows == (("Ports", "open", "blockade"),)
    assert (table.line, table.row_lines) == (1, (3,))


def test_table_without_outer_pipes():
    table = one_table("Topic | Kyiv | Moscow\n---|---|---\nPorts | open | blockade\nGrain | exports | quota\n")
    assert table.header == ("Topic", "Kyiv", "Moscow")
    assert table.rows == (("Ports", "open", "blockade"), ("Grain", "exports", "quota"))


def test_table_with_trailing_pipe_only():
    table = one_table("Region | Activity | Note |\n---|---|---|\nKherson | shelling | river line |\n")
    assert table.header == ("Region", "Activity", "Note")
    assert table.rows == (("Kherson", "shelling", "river line"),)


def test_table_with_outer_pipes_and_no_separator():
    table = one_table("| Topic | Kyiv |\n| Ports | open |\n")
    assert (table.header, table.rows) == (("Topic", "Kyiv"), (("Ports", "open"),))


def test_ragged_rows_are_padded():
    table = one_table("| A | B | C |\n|---|---|---|\n| one |\n| two | 2 |\n| three | 3 | x | extra |\n")
    assert table.header == ("A", "B", "C", "")
    assert table.rows == (("one", "", "", ""), ("two", "2", "", ""), ("three", "3", "x", "extra"))


def test_separator_rows_are_dropped_wherever_they_are():
    table = one_table("| A | B |\n|:---|---:|\n| 1 | 2 |\n| :-: | --- |\n| 3 | 4 |\n")
    assert table.rows == (("1", "2"), ("3", "4"))
    assert table.row_lines == (3, 5)


def test_cell_text_is_exact():
    table = one_table("| Aspect | Kyiv\u2019s View | Moscow's View |\n|---|---|---|\n"
                      "| Ukraine\u2019s Sovereignty |  Keeps \u201call\u201d land  | Wants 4 oblasts; no less |\n")
    assert table.header == ("Aspect", "Kyiv\u2019s View", "Moscow's View")
    assert table.rows == (("Ukraine\u2019s Sovereignty", "Keeps \u201call\u201d land", "Wants 4 oblasts; no less"),)


def test_escaped_pipes_are_literal():
    table = one_table("| Term | Meaning |\n|---|---|\n| A \\| B | either \\| or |\n| end | x \\|\n")
    assert table.rows == (("A | B", "either | or"), ("end", "x |"))


def test_parse_cells():
    assert parse_cells("| a | b |") == ["a", "b"]
    assert parse_cells("a | b") == ["a", "b"]
    assert parse_cells("| a | | c |") == ["a", "", "c"]
    assert parse_cells("a \\| b | c") == ["a | b", "c"]


def test_prose_with_a_pipe_is_not_a_table():
    assert tables_in("Kyiv | Moscow\nThe talks went nowhere.\n") == []


def test_two_tables_in_one_article_are_numbered():
    text = "A | B\n---|---\n1 | 2\n\nSome prose.\n\n| C | D |\n|---|---|\n| 3 | 4 |\n"
    assert [(t.index, t.header, t.line) for t in tables_in(text)] == [(0, ("A", "B"), 1), (1, ("C", "D"), 7)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab |-:\\\u2019 "), max_size=14), min_size=1, max_size=8))
def test_parse_table_never_raises_and_rows_are_rectangular(lines):
    for table in tables_in("\n".join(lines)):
        assert all(len(row) == len(table.header) for row in table.rows)
        assert len(table.rows) == len(table.row_lines)


# --- classification --------------------------------------------------------------------

@pytest.mark.parametrize("cell, actor", [
    ("Trump Administration", "united-states"),
    ("U.S. Position", "united-states"),
    ("US Position", "united-states"),
    ("Washington", "united-states"),
    ("Russian Government", "russia"),
    ("Russian Position", "russia"),
    ("Russia\u2019s Position", "russia"),
    ("Moscow's View", "russia"),
    ("Kremlin", "russia"),
    ("Kyiv\u2019s View", "ukraine"),
    ("Ukrainian Government", "ukraine"),
])
def test_column_actor(linker, cell, actor):
    assert column_actor(cell, linker, "") == actor


@pytest.mark.parametrize("cell", [
    "Impact on US Interests", "Strategic Importance", "Recent Activity", "Risk Level",
    "Diplomatic Outcome", "Expected Outcome", "Purpose", "Implication",
])
def test_not_an_actor_column(linker, cell):
    assert column_actor(cell, linker, "") is None


def test_position_comparison_classification(linker):
    table = one_table("| Aspect | Trump Administration | Russian Government |\n|---|---|---|\n| Sanctions | a | b |\n")
    table = classify(table, linker, "")
    assert table.kind == "position-comparison"
    assert table.column_actors == (("Trump Administration", "united-states"), ("Russian Government", "russia"))


def test_position_comparison_with_other_wording(linker):
    table = classify(one_table("Key Points | U.S. Position | Russian Position\n---|---|---\nNATO | a | b\n"), linker, "")
    assert (table.kind, dict(table.column_actors)) == (
        "position-comparison", {"U.S. Position": "united-states", "Russian Position": "russia"})


def test_one_actor_column_is_other(linker):
    text = "| Potential Policy Outcome | Impact on US Interests | Risk Level |\n|---|---|---|\n| Freeze | status quo | High |\n"
    table = classify(one_table(text), linker, "")
    assert (table.kind, table.column_actors) == ("other", ())


def test_two_columns_of_one_actor_are_other(linker):
    table = classify(one_table("| Topic | U.S. Position | Trump Administration |\n|---|---|---|\n| x | a | b |\n"), linker, "")
    assert table.kind == "other"


def test_first_column_is_never_an_actor_column(linker):
    table = classify(one_table("| Russia | Ukraine |\n|---|---|\n| a | b |\n"), linker, "")
    assert table.kind == "other"


def test_recommendation_table_is_other(linker):
    text = "| Strategy | Purpose | Expected Outcome |\n|---|---|---|\n| Backchannel | talk | fewer errors |\n"
    assert classify(one_table(text), linker, "").kind == "other"


def test_region_keyed_table_rows_link_the_oblast(tmp_path):
    text = ("A headline about the eastern front\n\n"
            "Region | Recent Activity | Strategic Importance |\n"
            "---|---|---|\n"
            "Donetsk | Assaults near Pokrovsk | Road hub |\n"
            "Luhansk | Probing attacks | Last strip |\n"
            "Kherson | Shelling across the river | Southern flank |\n"
            "Zaporizhzhia | Drone strikes | Approach to the city |\n")
    corpus = build(tmp_path, {"front.txt": text})
    table = only_article(corpus).tables[0]
    assert table.kind == "other"
    assert table.row_entities == ((0, "donetsk-oblast"), (1, "luhansk-oblast"), (2, "kherson-oblast"),
                                  (3, "zaporizhzhia-oblast"))
    assert [(m.line, m.entity) for m in corpus.mentions if m.line >= 5 and m.start == 0] == [
        (5, "donetsk-oblast"), (6, "luhansk-oblast"), (7, "kherson-oblast"), (8, "zaporizhzhia-oblast")]
    assert mentions_of(corpus)["pokrovsk"] == ["Pokrovsk"]  # other cells link as prose


def test_town_keyed_table_rows_stay_cities(tmp_path):
    text = "A headline about the eastern front\n\nTown | Note\n---|---\nDonetsk | occupied since 2014\n"
    corpus = build(tmp_path, {"front.txt": text})
    assert only_article(corpus).tables[0].row_entities == ((0, "donetsk"),)
    assert mentions_of(corpus) == {"donetsk": ["Donetsk"]}


def test_table_not_keyed_by_place_has_no_row_entities(tmp_path):
    text = "A headline about the eastern front\n\nFactor | Note\n---|---\nDonetsk | occupied since 2014\n"
    corpus = build(tmp_path, {"front.txt": text})
    assert only_article(corpus).tables[0].row_entities == ()
    assert mentions_of(corpus) == {"donetsk": ["Donetsk"]}
