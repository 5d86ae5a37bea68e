"""The built site, checked as a reader and an editor would: real `briefing build --strict`
runs of the bundled sample and of the user's corpus, then the HTML is inspected."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from sitebuild import ROOT, SHARED_CORPUS, briefing, broken_links, build, parse_html

SAMPLE = ROOT / "content"


def _shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_CORPUS} is missing")
        pytest.skip("../shared/corpus is not here")
    return SHARED_CORPUS


@pytest.fixture(scope="module", params=["sample", "shared"])
def built(request, tmp_path_factory):
    content = SAMPLE if request.param == "sample" else _shared_corpus()
    out = tmp_path_factory.mktemp(request.param)
    result = build(content, out)
    assert result.returncode == 0, result.stdout + result.stderr
    export = briefing("export", "--content", str(content))
    assert export.returncode == 0, export.stderr
    return content, out, json.loads(export.stdout)


def test_strict_build_has_every_region_and_actor_page(built):
    _, out, data = built
    for entity in data["entities"]:
        section = "regions" if entity["type"] == "region" else "actors"
        assert (out / "site" / section / entity["id"] / "index.html").is_file(), entity["id"]


def test_every_article_and_matrix_has_a_page(built):
    _, out, data = built
    for article in data["articles"]:
        assert (out / "site" / "articles" / article["id"] / "index.html").is_file()
    for matrix in data["matrices"]:
        assert (out / "site" / "matrices" / matrix["id"] / "index.html").is_file()


def test_every_link_and_anchor_resolves(built):
    _, out, _ = built
    assert broken_links(out / "site") == []


def test_mention_links_land_on_a_paragraph_of_the_article(built):
    _, out, data = built
    region = next(e for e in data["entities"] if e["type"] == "region")
    page = parse_html(out / "site" / "regions" / region["id"] / "index.html")
    cited = [link for link in page.links if "/articles/" in link and "#p" in link]
    assert cited, "a region page cites its mentions"


def test_every_matrix_cell_names_its_article(built):
    _, out, data = built
    for matrix in data["matrices"]:
        text = (out / "docs" / "matrices" / f"{matrix['id']}.md").read_text()
        rows = [line for line in text.splitlines() if line.startswith("| **")]
        assert len(rows) == len(matrix["rows"])
        for row in rows:
            cells = row.split(" | ")[1:]
            for cell in cells:
                for wording in cell.split("<br>"):
                    assert wording.strip(" |") in ("–", "") or re.search(r"\]\(\.\./articles/[a-z0-9-]+\.md#p\d+\)", wording), wording


def test_no_page_requests_another_host(built):
    _, out, _ = built
    for page in (out / "site").rglob("*.html"):
        html = page.read_text("utf-8")
        sources = re.findall(r'(?:src|href)="(https?:)?//([^/"]+)', html)
        external = [host for scheme, host in sources if host not in ("www.mkdocs.org",)]
        # only links a reader may follow (article URLs, theme credits) are absolute; nothing is loaded
        loads = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html)
        assert not loads, (page, external)


def test_generate_is_byte_identical_between_runs(tmp_path):
    for name in ("one", "two"):
        result = briefing("generate", "--content", str(SAMPLE), "--docs-dir", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_generate_rewrites_only_changed_pages_and_deletes_stale_ones(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    docs = tmp_path / "docs"
    assert briefing("generate", "--content", str(content), "--docs-dir", str(docs)).returncode == 0
    again = briefing("generate", "--content", str(content), "--docs-dir", str(docs))
    assert " 0 written" in again.stdout and " 0 deleted" in again.stdout
    victim = next((content / "articles" / "scraped").glob("*.txt"))
    victim.unlink()
    third = briefing("generate", "--content", str(content), "--docs-dir", str(docs))
    assert third.returncode == 0
    assert not (docs / "articles" / f"{victim.stem}.md").exists()
    assert re.search(r"[1-9]\d* deleted", third.stdout)


def test_article_text_is_escaped_never_markup(tmp_path):
    content = tmp_path / "content"
    (content).mkdir()
    (content / "hostile.md").write_text(
        "---\ntitle: 'A <b>bold</b> title {{ 7*7 }}'\n---\n"
        "Ukraine and Russia traded fire near Kharkiv on Monday, officials in Kyiv said.\n\n"
        "Officials said <script>alert('x')</script> and <img src=x onerror=alert(1)> were found in Kyiv.\n\n"
        "A link [click](javascript:alert(1)) and {{ 7*7 }} and {% raw %} sat beside Kharkiv.\n", "utf-8")
    out = tmp_path / "out"
    result = build(content, out)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "site" / "articles" / "hostile" / "index.html").read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert 'href="javascript:' not in html
    assert "{{ 7*7 }}" in html and "&lt;script&gt;" in html
    region = (out / "site" / "regions" / "kharkiv" / "index.html").read_text("utf-8")
    assert "<script>alert" not in region and 'href="javascript:' not in region


def test_override_replaces_summary_and_keeps_the_automatic_one(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    (content / "overrides" / "regions.yaml").write_text("kursk-oblast:\n  summary: \"Editors' own words about Kursk.\"\n")
    docs = tmp_path / "docs"
    assert briefing("generate", "--content", str(content), "--docs-dir", str(docs)).returncode == 0
    page = (docs / "regions" / "kursk-oblast.md").read_text()
    assert '!!! abstract "Summary (editor)"\n    Editors\' own words about Kursk.' in page
    assert '??? note "Automatic summary (replaced by the editor\'s)"' in page


def test_override_errors_name_file_line_and_suggestion(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    (content / "overrides" / "regions.yaml").write_text(
        "kursk-oblast:\n  summary: fine\nkursc-oblast:\n  summary: typo in the id\n"
        "donetsk-oblast:\n  sumary: typo in the key\nluhansk-oblast:\n  summary: [not, text]\n")
    result = briefing("check", "--content", str(content))
    assert result.returncode == 1
    assert "overrides/regions.yaml:3: unknown region 'kursc-oblast' (did you mean 'kursk-oblast'?)" in result.stderr
    assert "overrides/regions.yaml:6: unknown key 'sumary' (did you mean 'summary'?); expected summary" in result.stderr
    assert "overrides/regions.yaml:8: 'summary' must be non-empty text, got list" in result.stderr


def test_failed_build_keeps_the_last_good_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    out = tmp_path / "out"
    assert build(content, out).returncode == 0
    before = (out / "site" / "index.html").read_bytes()
    (content / "overrides" / "actors.yaml").write_text("vladimir-putinn:\n  summary: typo\n")
    result = build(content, out)
    assert result.returncode == 1
    assert "overrides/actors.yaml:1: unknown actor 'vladimir-putinn' (did you mean 'vladimir-putin'?)" in result.stderr
    assert (out / "site" / "index.html").read_bytes() == before


def test_build_never_replaces_a_folder_it_did_not_build(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "draft.txt").write_text("not a site")
    result = briefing("build", "--content", str(SAMPLE), "--docs-dir", str(tmp_path / "docs"), "--site-dir", str(precious))
    assert result.returncode == 1
    assert f"briefing: {precious} exists and is not a site built by briefing or MkDocs; refusing to replace it" in result.stderr
    assert (precious / "draft.txt").read_text() == "not a site"


def test_the_previous_site_is_removed_whole_without_following_links(tmp_path):
    from generator.site_commands import remove_tree
    outside = tmp_path / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "file.txt").write_text("kept")
    old = tmp_path / "site.old"
    for n in range(30):
        page = old / ("regions" if n % 2 else "articles") / f"page-{n}" / "deeper"
        page.mkdir(parents=True)
        (page.parent / "index.html").write_text("<p>old</p>")
        (page / "x.html").write_text("<p>old</p>")
    (old / "index.html").write_text("<p>home</p>")
    (old / "regions" / "linked").symlink_to(outside, target_is_directory=True)
    (old / "assets").symlink_to(outside / "keep", target_is_directory=True)
    remove_tree(old)
    assert not old.exists() and not old.is_symlink()
    assert (outside / "keep" / "file.txt").read_text() == "kept"
    remove_tree(old)  # already gone: nothing to do, no error
