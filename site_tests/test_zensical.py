"""Zensical, Material's successor, builds the generated pages from the same mkdocs.yml.

Zensical resolves docs_dir and site_dir against the folder of its configuration file and
refuses either outside it (it has no --site-dir option), so each build gets a project folder of
its own: the generated docs, and a copy of mkdocs.yml pointing at them. Hooks and third-party
plugins would be skipped silently by Zensical, which is why mkdocs.yml has neither.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitebuild import ROOT, SHARED_CORPUS, briefing, broken_links, parse_html

try:
    import zensical  # noqa: F401
except ImportError:
    if os.environ.get("CI"):  # CI installs '.[test]': a missing Zensical is a broken install
        raise
    pytest.skip("zensical is not installed (pip install -e '.[test]')", allow_module_level=True)

KEY_PAGES = {"home": "index.html", "region": "regions/kursk-oblast/index.html",
             "matrix": "matrices/united-states-vs-russia/index.html"}


def _content(name: str) -> Path:
    if name == "sample":
        return ROOT / "content"
    if not SHARED_CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_CORPUS} is missing")
        pytest.skip("../shared/corpus is not here")
    return SHARED_CORPUS


def _config_for(project: Path) -> Path:
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    settings.update(docs_dir="docs", site_dir="site")
    config = project / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), "utf-8")
    return config


@pytest.fixture(scope="module", params=["sample", "shared"])
def zensical_site(request, tmp_path_factory):
    """(docs folder, site folder, zensical's output) of a Zensical build of one corpus."""
    content = _content(request.param)
    project = tmp_path_factory.mktemp(f"zensical-{request.param}")
    generated = briefing("generate", "--content", str(content), "--docs-dir", str(project / "docs"))
    assert generated.returncode == 0, generated.stdout + generated.stderr
    config = _config_for(project)
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(config),
                             "--clean", "--strict"], cwd=project, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return project / "docs", project / "site", output


def test_zensical_reports_no_issue(zensical_site):
    _, _, output = zensical_site
    assert "error" not in output.lower() and "warning" not in output.lower(), output


def test_key_pages_exist_with_their_titles(zensical_site):
    docs, site, _ = zensical_site
    titles = {"home": "Briefing", "region": "Kursk Oblast", "matrix": "United States vs Russia"}
    for kind, page in KEY_PAGES.items():
        html = (site / page).read_text("utf-8")
        assert re.search(rf"<h1[^>]*>{re.escape(titles[kind])}", html), (kind, page)
    article = sorted(p.stem for p in (docs / "articles").glob("*.md") if p.stem != "index")[0]
    page = site / "articles" / article / "index.html"
    assert page.is_file(), page
    assert 'class="briefing-block"' in page.read_text("utf-8"), "article paragraphs keep their anchors"


def test_every_generated_page_is_built(zensical_site):
    docs, site, _ = zensical_site
    for source in docs.rglob("*.md"):
        relative = source.relative_to(docs).with_suffix("")
        folder = relative.parent if relative.name == "index" else relative
        assert (site / folder / "index.html").is_file(), source.relative_to(docs)


def test_links_and_citation_anchors_resolve(zensical_site):
    _, site, _ = zensical_site
    assert broken_links(site) == []
    matrix = parse_html(site / KEY_PAGES["matrix"])
    cited = [link for link in matrix.links if re.search(r"articles/[^/]+/#p\d+$", link)]
    assert cited, "the matrix cells cite their paragraphs"


def test_the_site_styles_and_scripts_come_along(zensical_site):
    _, site, _ = zensical_site
    html = (site / "index.html").read_text("utf-8")
    for asset in ("assets/briefing.css", "assets/briefing.js"):
        assert asset in html and (site / asset).is_file(), asset
    assert 'class="briefing-matrix"' in (site / KEY_PAGES["matrix"]).read_text("utf-8")
