"""The workers' link rewriting with a memory per page (generator/fast_links.py) is MkDocs' own.

Two of MkDocs' link rewriters are made for the same page of a small site: one as MkDocs runs it,
one given the memory. Each rewrites the same links, every link twice and in the same order; the
URLs they return, the anchors they register and the messages they log must be the same. The
whole sites are compared with plain ``mkdocs build`` in test_benchmark_smoke.py.
"""
from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.pages import _RelativePathTreeprocessor

from generator import fast_links

PAGES = {
    "index.md": "# Home\n",
    "articles/a.md": "# A\n",
    "articles/b c.md": "# B\n",
    "regions/kyiv.md": "# Kyiv\n",
    "regions/kyiv/mentions/1.md": "# Kyiv, articles 1-25\n",
    "drafts/secret.md": "# Secret\n",
    "assets/map.png": "",
}

LINKS = [
    "../../../articles/a.md#p1", "../../../articles/a.md#p2", "../../../articles/a.md#p1",
    "../../../articles/a.md", "../../../articles/a.md?x=1#p3", "../../../articles/b%20c.md#p1",
    "../../kyiv.md", "../../kyiv.md#summary", "2.md", "../../../articles/missing.md#p1",
    "../../../articles/missing.md#p1", "../../../drafts/secret.md", "../../../drafts/secret.md#x",
    "../../../articles/", "../../../articles", "../../../assets/map.png", "#article-1", "#article-1",
    "?q=1", "/articles/a.md", "https://example.org/a.md#p1", "mailto:desk@example.org",
    "../../../index.md#top", "./1.md#article-2", ".", "../../../articles/a.md#",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("fast_links")
    docs = root / "docs"
    for rel, text in PAGES.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, "utf-8")
    (root / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\nexclude_docs: drafts/\n", "utf-8")
    config = load_config(config_file=str(root / "mkdocs.yml"))
    files = get_files(config)
    set_exclusions(files, config)
    return config, files


def _rewrite(site, page: str, remembered: bool, caplog) -> tuple[list, dict, list]:
    config, files = site
    rewriter = _RelativePathTreeprocessor(files.get_file_from_path(page), files, config)
    rewrite = fast_links.remembering(rewriter) if remembered else rewriter.path_to_url
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs"):
        urls = [rewrite(url) for url in LINKS + LINKS]
    anchors = {file.src_uri: targets for file, targets in rewriter.links_to_anchors.items()}
    return urls, anchors, [(r.levelno, r.getMessage()) for r in caplog.records]


@pytest.mark.parametrize("page", ["regions/kyiv/mentions/1.md", "index.md", "drafts/secret.md"])
def test_remembered_rewriting_gives_mkdocs_urls_anchors_and_messages(site, page, caplog):
    plain = _rewrite(site, page, False, caplog)
    assert _rewrite(site, page, True, caplog) == plain
    assert plain[2], "the links include missing targets: MkDocs logs them"


def test_a_missing_target_is_reported_each_time_it_is_linked(site, caplog):
    _, _, messages = _rewrite(site, "regions/kyiv/mentions/1.md", True, caplog)
    missing = [m for _, m in messages if "'../../../articles/missing.md#p1'" in m]
    assert len(missing) == 4  # twice in LINKS, which is rewritten twice


def test_each_path_is_looked_up_once_per_page(site):
    config, files = site
    looked_up = []
    lookup = files.get_file_from_path
    rewriter = _RelativePathTreeprocessor(lookup("regions/kyiv/mentions/1.md"), files, config)
    files.get_file_from_path = lambda path: looked_up.append(path) or lookup(path)
    try:
        rewrite = fast_links.remembering(rewriter)
        for url in ["../../../articles/a.md#p1", "../../../articles/a.md#p2", "../../../articles/a.md",
                    "../../../articles/b%20c.md#p1", "../../../articles/b%20c.md#p2"]:
            rewrite(url)
    finally:
        del files.get_file_from_path
    assert looked_up == ["articles/a.md", "articles/b c.md"]


def test_the_memory_is_installed_only_on_mkdocs_own_rewriter():
    import markdown
    md = markdown.Markdown()
    fast_links.install(md)
    md.convert("[a](b.md)")  # no MkDocs rewriter registered: nothing to give a memory to, no error
    assert "briefing_link_memo" in md.treeprocessors
