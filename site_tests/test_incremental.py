"""Incremental generate: after any edit, `briefing generate` with its cache and page manifest
leaves exactly the docs folder a clean run (no cache, empty docs folder) makes.

Each scenario edits a copy of the bundled sample, regenerates incrementally into the same docs
folder, and compares it file by file with a clean generate of the edited content. Behaviour
only: nothing here measures time.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, folder_digest, run_cli
from generator import parallel, planning, views
from generator.checking import load_site

ARTICLE = "articles/2025-01-kursk-pressure.md"
ARTICLE_ID = "2025-01-kursk-pressure"


def _generate(content: Path, docs: Path, capsys, *extra: str) -> str:
    status, out, err = run_cli(["generate", "--content", str(content), "--docs-dir", str(docs), "--stats", *extra], capsys)
    assert status == 0, err
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_as_clean(content: Path, docs: Path, tmp: Path, capsys, *extra: str) -> None:
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    _generate(content, clean, capsys, "--no-cache", *extra)
    got, want = _files(docs), _files(clean)
    assert sorted(got) == sorted(want)
    assert [rel for rel in want if got[rel] != want[rel]] == []
    assert folder_digest(docs) == folder_digest(clean)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _first_paragraph_line(path: Path) -> str:
    """A line of prose in the article (after its front matter) to add a sentence to."""
    lines = path.read_text("utf-8").split("\n")
    body = lines[lines.index("---", 1) + 1:] if lines[0] == "---" else lines
    return next(line for line in body if len(line.split()) > 12 and line[:1].isalpha())


EDITS = {
    "sentence added": lambda c: _edit(c / ARTICLE, _first_paragraph_line(c / ARTICLE),
                                      _first_paragraph_line(c / ARTICLE) + " Kharkiv and Sumy were shelled again."),
    "title changed": lambda c: _edit(c / ARTICLE, "title: \"", "title: \"Revised — "),
    "article added": lambda c: (c / "articles" / "new-report.md").write_text(
        "---\ntitle: A new report from Kupiansk\n---\n\nRussian forces pressed towards Kupiansk, officials said on "
        "Monday. “We hold the line,” said Volodymyr Zelensky, adding that 1,200 troops had arrived.\n", "utf-8"),
    "article deleted": lambda c: (c / ARTICLE).unlink(),
    "alias added": lambda c: (c / "entities.yaml").write_text(
        (c / "entities.yaml").read_text("utf-8") + "\n- id: kursk-oblast\n  aliases: [Kurskaya]\n", "utf-8"),
    "override changed": lambda c: (c / "overrides" / "regions.yaml").write_text(
        "kursk-oblast:\n  summary: \"An editor's new summary.\"\n", "utf-8"),
}


@pytest.fixture
def copy(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    return content


@pytest.mark.parametrize("edit", list(EDITS))
def test_incremental_generate_equals_a_clean_one(edit, copy, tmp_path, capsys):
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    out = _generate(copy, docs, capsys)  # nothing changed: nothing written, pages skipped
    assert "0 written" in out and "with unchanged inputs" in out
    EDITS[edit](copy)
    _generate(copy, docs, capsys)
    _same_as_clean(copy, docs, tmp_path, capsys)


def test_only_pages_whose_inputs_changed_are_rendered(copy, tmp_path, capsys):
    docs = tmp_path / "docs"
    first = _generate(copy, docs, capsys)
    EDITS["sentence added"](copy)
    again = _generate(copy, docs, capsys)
    rendered = int(re.search(r"\((\d+) rendered", again).group(1))
    total = int(re.search(r"rendering: (\d+) pages", first).group(1))
    assert 0 < rendered < total
    _same_as_clean(copy, docs, tmp_path, capsys)


def test_a_generated_file_changed_by_hand_is_rendered_again(copy, tmp_path, capsys):
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    page = docs / "regions" / "kursk-oblast.md"
    original = page.read_bytes()
    page.write_bytes(original + b"\nedited by hand\n")
    _generate(copy, docs, capsys)
    assert page.read_bytes() == original
    page.unlink()
    _generate(copy, docs, capsys)
    assert page.read_bytes() == original


def test_a_docs_folder_restored_with_other_times_is_not_rendered_again(copy, tmp_path, capsys):
    """A CI cache (or a copy) restores the docs folder with other modification times: pages whose
    bytes are those written are kept, compared by digest; one changed by hand is rendered again."""
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    rendered = lambda out: int(re.search(r"\((\d+) rendered", out).group(1))  # noqa: E731
    unchanged = rendered(_generate(copy, docs, capsys))
    page = docs / "regions" / "kursk-oblast.md"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"Kursk", b"Kursq", 1))
    for path in docs.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert rendered(_generate(copy, docs, capsys)) == unchanged + 1
    assert page.read_bytes() == original
    _same_as_clean(copy, docs, tmp_path, capsys)


def test_template_change_renders_again(copy, tmp_path, capsys):
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parents[1] / "templates", templates)
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys, "--templates", str(templates))
    _edit(templates / "entity.md.j2", "## Mentions", "## Every mention")
    _generate(copy, docs, capsys, "--templates", str(templates))
    assert "## Every mention" in (docs / "regions" / "kursk-oblast.md").read_text("utf-8")
    _same_as_clean(copy, docs, tmp_path, capsys, "--templates", str(templates))


def test_incremental_on_worker_processes(copy, tmp_path, capsys, monkeypatch):
    """The same with articles analysed and pages rendered by forked workers."""
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("BRIEFING_JOBS", "2")
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    EDITS["sentence added"](copy)
    EDITS["article added"](copy)
    _generate(copy, docs, capsys)
    _same_as_clean(copy, docs, tmp_path, capsys)


@pytest.mark.parametrize("edit", list(EDITS))
def test_incremental_generate_with_archive_pages_equals_a_clean_one(edit, paged, copy, tmp_path, capsys):
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    assert (docs / "regions" / "russia" / "mentions" / "3.md").is_file()
    EDITS[edit](copy)
    _generate(copy, docs, capsys)
    _same_as_clean(copy, docs, tmp_path, capsys)


def test_an_edit_renders_only_the_archive_pages_holding_the_article(paged, copy, tmp_path, capsys, monkeypatch):
    """2025-01-kursk-pressure is on Russia's archive page 2 of 3 (articles 4–6): an edit renders
    that page and the other archive pages holding the article, and no other archive page."""
    monkeypatch.setenv("BRIEFING_JOBS", "1")  # pages rendered here, where the spy notes them
    rendered: list[str] = []
    archive_view = views.VIEWS["archive"]
    monkeypatch.setitem(views.VIEWS, "archive", lambda ctx, page: rendered.append(page.path) or archive_view(ctx, page))
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    before = _files(docs)
    rendered.clear()
    EDITS["sentence added"](copy)
    _generate(copy, docs, capsys)
    corpus, _ = load_site(copy)
    holding = {p.path for pages in planning.archives(corpus).values() for p in pages if ARTICLE_ID in p.articles}
    new = {p.path for pages in planning.archives(corpus).values() for p in pages} - set(before)
    assert "regions/russia/mentions/2.md" in holding
    assert set(rendered) == holding | new
    assert not {"regions/russia/mentions/1.md", "regions/russia/mentions/3.md"} & set(rendered)
    after = _files(docs)
    changed = {rel for rel in after if before.get(rel) != after[rel] and "/mentions/" in rel}
    assert changed <= holding | new
    _same_as_clean(copy, docs, tmp_path, capsys)


def test_a_table_edit_renders_only_the_matrix_archive_page_holding_the_article(one_per_page, copy, tmp_path, capsys,
                                                                             monkeypatch):
    """A cell edited in the older of the matrix's two articles renders its archive page and the
    matrix page, not the newer article's archive page."""
    monkeypatch.setenv("BRIEFING_JOBS", "1")  # pages rendered here, where the spy notes them
    rendered: list[str] = []
    for kind in ("archive", "matrix"):
        view = views.VIEWS[kind]
        monkeypatch.setitem(views.VIEWS, kind, lambda ctx, page, view=view: rendered.append(page.path) or view(ctx, page))
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    rendered.clear()
    _edit(copy / "articles" / "analysis" / "washington-moscow-gap.md", "Membership for Kyiv is off the table for now",
          "Membership for Kyiv is off the table for the time being")
    _generate(copy, docs, capsys)
    matrix = [rel for rel in rendered if rel.startswith("matrices/united-states-vs-russia")]
    assert sorted(matrix) == ["matrices/united-states-vs-russia.md", "matrices/united-states-vs-russia/1.md"]
    assert "for the time being" in (docs / "matrices" / "united-states-vs-russia" / "1.md").read_text("utf-8")
    _same_as_clean(copy, docs, tmp_path, capsys)


def test_a_topic_renamed_by_another_article_renders_the_matrix_archive_pages_again(one_per_page, copy, tmp_path, capsys):
    """A row's topic is its first label: a new article whose table comes first names the NATO row
    anew, and the archive pages of the older articles, whose analyses did not change, show it."""
    docs = tmp_path / "docs"
    _generate(copy, docs, capsys)
    assert "| **NATO Expansion** |" in (docs / "matrices" / "united-states-vs-russia" / "1.md").read_text("utf-8")
    (copy / "articles" / "a-new-comparison.md").write_text(
        "---\ntitle: Where the two capitals stand now\ndate: 2025-12-01\n---\n\n"
        "Our desk set the two governments' latest positions side by side.\n\n"
        "| Issue | Washington | Moscow |\n| --- | --- | --- |\n"
        "| NATO enlargement | Still not on the table | Must be ruled out for good |\n", "utf-8")
    _generate(copy, docs, capsys)
    assert "| **NATO enlargement** |" in (docs / "matrices" / "united-states-vs-russia" / "1.md").read_text("utf-8")
    _same_as_clean(copy, docs, tmp_path, capsys)
