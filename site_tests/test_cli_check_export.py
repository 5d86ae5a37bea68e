"""The two commands: `briefing check` and `briefing export`."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, SAMPLE_CONTENT, folder_digest, run_cli, write_content

CLEAN = FIXTURES / "clean_corpus"
TWO_ARTICLES = FIXTURES / "comparison_tables_two_articles"

ARTICLE_KEYS = {"id", "source", "title", "entities", "tables", "quotes", "figures"}
TABLE_KEYS = {"header", "rows", "kind", "column_actors"}
ENTITY_KEYS = {"id", "name", "type", "kind", "aliases"}
MATRIX_KEYS = {"id", "actors", "rows"}


def broken_content(root):
    return write_content(root, {
        "good.txt": "A headline about Odesa tonight\n\nThe port of Odesa was quiet.\n",
        "bad.md": "---\ntitle: Fine\nauthr: Someone\n---\nBody text.\n",
        "worse.md": "---\ntitle: Kherson: the river\n---\nBody text.\n",
        "empty.txt": b"",
    })


# --- check -----------------------------------------------------------------------------

def test_check_clean_content_exits_0(capsys):
    status, out, err = run_cli(["check", "--content", str(CLEAN)], capsys)
    assert status == 0
    assert err == ""
    assert out.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_check_prints_path_line_messages_and_exits_1(tmp_path, capsys):
    content = broken_content(tmp_path)
    status, out, err = run_cli(["check", "--content", str(content)], capsys)
    assert status == 1
    assert err.splitlines() == [  # paths as the user reaches them: through the --content folder
        f"{content.as_posix()}/bad.md:3: unknown front matter key 'authr'",
        f"{content.as_posix()}/empty.txt: warning: empty file; skipped",
        f"{content.as_posix()}/worse.md:2:15: malformed YAML: mapping values are not allowed here",
    ]
    assert out.splitlines() == ["2 error(s), 1 warning(s)"]


def test_check_lists_unlinked_candidates_with_counts_and_places(tmp_path, capsys):
    write_content(tmp_path, {
        "a.txt": "A headline about the port today\n\nThe ship passed Olena Hrytsenko near Odesa.\n",
        "b.txt": "Another headline about the port\n\nTrucks left for Olena Hrytsenko and the Harbour Watch Group.\n",
    })
    status, out, _ = run_cli(["check", "--content", str(tmp_path)], capsys)
    assert status == 0
    assert out.splitlines()[:3] == [
        "unlinked candidates (2; add them to content/entities.yaml to link them):",
        "  Olena Hrytsenko ×2: a.txt:3, b.txt:3",
        "  Harbour Watch Group ×1: b.txt:3",
    ]


def test_check_missing_content_folder(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    status, out, err = run_cli(["check", "--content", str(missing)], capsys)
    assert status == 1
    assert err.splitlines() == [f"{missing}: content folder not found"]


def test_check_default_content_folder(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    status, out, err = run_cli(["check"], capsys)
    assert status == 0, err
    assert out.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_content_option_is_used(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no content/ here
    status, out, _ = run_cli(["check", "--content", str(TWO_ARTICLES)], capsys)
    assert status == 0
    assert "2 articles," in out


# --- export ----------------------------------------------------------------------------

def test_export_schema_and_required_keys(tmp_path, capsys):
    target = tmp_path / "export.json"
    status, _, err = run_cli(["export", "--content", str(TWO_ARTICLES), "-o", str(target)], capsys)
    assert status == 0 and err == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == "briefing-export/1"
    assert {"schema", "articles", "entities", "matrices", "conflicts"} <= set(data)
    for article in data["articles"]:
        assert ARTICLE_KEYS <= set(article)
        assert all(isinstance(e, str) for e in article["entities"])
        for table in article["tables"]:
            assert TABLE_KEYS <= set(table)
            assert table["kind"] in ("position-comparison", "other")
        for quote in article["quotes"]:
            assert {"text", "speaker"} <= set(quote)
        for figure in article["figures"]:
            assert {"text", "value", "unit"} <= set(figure)
    for entity in data["entities"]:
        assert ENTITY_KEYS <= set(entity) and entity["type"] in ("region", "actor")
    for matrix in data["matrices"]:
        assert MATRIX_KEYS <= set(matrix)
        for row in matrix["rows"]:
            assert {"topic", "cells"} <= set(row)
            for cells in row["cells"].values():
                assert all({"text", "article"} <= set(c) for c in cells)
    for conflict in data["conflicts"]:
        assert {"topic", "claims"} <= set(conflict)
        assert all({"article", "text", "value"} <= set(c) for c in conflict["claims"])


def test_export_content(tmp_path, capsys):
    target = tmp_path / "export.json"
    run_cli(["export", "--content", str(TWO_ARTICLES), "-o", str(target)], capsys)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [(a["id"], a["source"]) for a in data["articles"]] == [("gap-one", "gap-one.md"), ("gap-two", "gap-two.txt")]
    table = data["articles"][0]["tables"][0]
    assert table["header"] == ["Issue", "Trump Administration", "Russian Government"]
    assert table["column_actors"] == {"Trump Administration": "united-states", "Russian Government": "russia"}
    ids = {e["id"] for e in data["entities"]}
    assert {"united-states", "russia", "ukraine"} <= ids
    used = {e for a in data["articles"] for e in a["entities"]}
    assert used <= ids
    assert [m["id"] for m in data["matrices"]] == ["ukraine-vs-russia", "united-states-vs-russia"]


def test_export_source_is_relative_with_forward_slashes(tmp_path, capsys):
    target = tmp_path / "export.json"
    run_cli(["export", "--content", str(CLEAN), "-o", str(target)], capsys)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [a["source"] for a in data["articles"]] == ["desk/front-notes.txt", "port-night.md"]


def test_export_to_stdout(capsys):
    status, out, _ = run_cli(["export", "--content", str(CLEAN)], capsys)
    assert status == 0
    assert json.loads(out)["schema"] == "briefing-export/1"


def test_export_with_errors_writes_nothing(tmp_path, capsys):
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    status, out, err = run_cli(["export", "--content", str(broken_content(tmp_path / "c")), "-o", str(target)], capsys)
    assert status == 1
    assert not target.exists()
    assert err.splitlines()[-1] == "briefing: 2 error(s); nothing written"


def test_export_is_byte_identical_across_runs(tmp_path, capsys):
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    run_cli(["export", "--content", str(SAMPLE_CONTENT), "-o", str(first)], capsys)
    run_cli(["export", "--content", str(SAMPLE_CONTENT), "-o", str(second)], capsys)
    assert first.read_bytes() == second.read_bytes()


def test_export_is_byte_identical_across_processes(tmp_path):
    """Separate interpreters with different hash seeds: no set or dict order leaks out."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"{seed}.json"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-m", "generator", "export", "--content", str(SAMPLE_CONTENT),
                               "-o", str(target)], env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


# --- nothing is written into the content folder -----------------------------------------

@pytest.mark.parametrize("content", [CLEAN, TWO_ARTICLES, SAMPLE_CONTENT], ids=["clean", "two-articles", "sample"])
def test_check_and_export_write_nothing_into_content(tmp_path, capsys, content):
    before = folder_digest(content)
    run_cli(["check", "--content", str(content)], capsys)
    run_cli(["export", "--content", str(content), "-o", str(tmp_path / "e.json")], capsys)
    run_cli(["export", "--content", str(content)], capsys)
    assert folder_digest(content) == before


def test_broken_content_is_left_untouched(tmp_path, capsys):
    content = broken_content(tmp_path / "c")
    before = folder_digest(content)
    run_cli(["check", "--content", str(content)], capsys)
    run_cli(["export", "--content", str(content), "-o", str(tmp_path / "e.json")], capsys)
    assert folder_digest(content) == before


def test_export_prints_warnings_and_succeeds(tmp_path, capsys):
    write_content(tmp_path / "c", {"a.txt": "A headline about Odesa tonight\n\nThe port was quiet.\n", "b.txt": b""})
    status, _, err = run_cli(["export", "--content", str(tmp_path / "c"), "-o", str(tmp_path / "e.json")], capsys)
    assert status == 0
    assert err.splitlines() == [f"{(tmp_path / 'c').as_posix()}/b.txt: warning: empty file; skipped"]
    assert [a["id"] for a in json.loads((tmp_path / "e.json").read_text("utf-8"))["articles"]] == ["a"]
