"""The full-text index in shards (generator/search.py): every article page is in exactly one
shard, an article keeps its shard while the number of shards stays, and a rebuild indexes
only the shards whose pages changed, writing the bundles a build without the cache writes.
Behaviour only: no timing is asserted."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT
from generator import search

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_PROGRESS": "0", search.SHARD_ENV: "2"}


def pages(n: int, prefix: str = "a") -> list[str]:
    return [f"articles/{prefix}{i:05d}/index.html" for i in range(n)]


def test_every_page_is_in_one_shard_of_about_the_size_asked():
    groups = search.shards(pages(2500), 1000)
    assert len(groups) == 3
    assert sorted(p for g in groups for p in g) == sorted(pages(2500))
    assert all(600 <= len(g) <= 1100 for g in groups), [len(g) for g in groups]
    assert search.shards(list(reversed(pages(2500))), 1000) == groups  # the order of the pages found does not count


def test_a_page_keeps_its_shard_while_the_number_of_shards_stays():
    before = {p: n for n, g in enumerate(search.shards(pages(2500), 1000)) for p in g}
    grown = search.shards(pages(2500) + pages(400, "new"), 1000)
    assert len(grown) == 3
    after = {p: n for n, g in enumerate(grown) for p in g}
    assert all(after[p] == n for p, n in before.items())


def test_past_the_most_shards_the_shards_grow_instead():
    groups = search.shards(pages(search.MAX_SHARDS * 1000 + 5000), 1000)
    assert len(groups) == search.MAX_SHARDS and sum(map(len, groups)) == search.MAX_SHARDS * 1000 + 5000


def test_a_small_site_is_one_shard_at_the_bundle_itself():
    assert search.shards(pages(3), 1000) == [pages(3)]
    assert search.bundle_path(0) == "pagefind" and search.bundle_path(2) == "pagefind/2"


def build(content: Path, out: Path, cache: Path | None) -> tuple[str, tuple[int, int, int], dict[str, bytes]]:
    """`briefing build --stats` with shards of two pages: (output, (pages, shards, indexed), the
    pagefind folder's files)."""
    command = [sys.executable, "-m", "generator", "build", "--content", str(content), "--docs-dir", str(out / "docs"),
               "--site-dir", str(out / "site"), "--strict", "--stats"]
    env = dict(ENV, BRIEFING_CACHE_DIR=str(cache or out / "unused-cache"))
    result = subprocess.run(command + ([] if cache else ["--no-cache"]), cwd=ROOT, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    found = re.search(r"\((\d+) article pages in (\d+) shards?, (\d+) indexed\)", output)
    assert found, output
    bundle = out / "site" / search.BUNDLE
    files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    return output, (int(found[1]), int(found[2]), int(found[3])), files


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shards")
    content = tmp / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    cache = tmp / "cache"
    return tmp, content, cache, build(content, tmp / "one", cache)


def test_each_shard_indexes_its_own_pages_and_the_first_lists_the_others(first_build):
    tmp, _, _, (_, (count, shards, indexed), files) = first_build
    site = tmp / "one" / "site"
    articles = sorted(p.relative_to(site).as_posix() for p in site.glob(search.PAGES))
    groups = search.shards(articles, 2)
    assert (count, shards, indexed) == (len(articles), len(groups), len(groups)) and shards > 1
    assert json.loads(files[search.SHARDS_FILE]) == {"bundles": [f"{n}/" for n in range(1, shards)]}
    for n, group in enumerate(groups):
        prefix = "" if n == 0 else f"{n}/"
        entry = json.loads(files[prefix + "pagefind-entry.json"])
        assert sum(language["page_count"] for language in entry["languages"].values()) == len(group)


def test_a_rebuild_indexes_only_the_shards_whose_pages_changed(first_build):
    tmp, content, cache, (_, (_, shards, _), first) = first_build
    _, (_, _, indexed), again = build(content, tmp / "two", cache)
    assert indexed == 0 and again == first
    article = next(p for p in sorted((content / "articles").rglob("*.md")))
    article.write_text(article.read_text("utf-8") + "\nA new closing line about the Kupiansk front was added.\n", "utf-8")
    _, (_, _, indexed), edited = build(content, tmp / "three", cache)
    assert 1 <= indexed < shards
    _, (_, _, fresh), uncached = build(content, tmp / "four", None)
    assert fresh == shards and edited == uncached  # the bundles from the cache are the ones Pagefind writes
    assert edited != first


def test_a_rebuild_links_the_bundles_of_the_site_it_replaces(first_build):
    """An unchanged shard's files in the site a build replaces are that site's files, hard-linked."""
    tmp, content, cache, _ = first_build
    _, _, files = build(content, tmp / "five", cache)
    bundle = tmp / "five" / "site" / search.BUNDLE
    inodes = {rel: (bundle / rel).stat().st_ino for rel in files}
    _, (_, _, indexed), again = build(content, tmp / "five", cache)
    assert indexed == 0 and again == files
    assert {rel: (bundle / rel).stat().st_ino for rel in files if rel != search.SHARDS_FILE} == \
        {rel: n for rel, n in inodes.items() if rel != search.SHARDS_FILE}
