"""The page cache of `briefing build` (generator/page_cache.py): a page is reused only when
everything it is built from is unchanged, and a rebuild from the cache writes the site a
build without it writes. Behaviour only: no timing is asserted."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT
from generator import page_cache, parallel

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0", BRIEFING_PROGRESS="0")
MKDOCS_YML = "site_name: {name}\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - search\n" \
             "nav:\n  - Home: index.md\n"


IMPORTED = ["-c", "import sys; from generator import mkdocs_parallel; sys.exit(mkdocs_parallel.main(sys.argv[1:]))"]


def mkdocs(config: Path, site: Path, cache: Path | None, *options: str, launcher=("-m", "generator.mkdocs_parallel")):
    """(exit status, output, pages reused, {path: bytes} of the site) of the parallel build."""
    command = [sys.executable, *launcher, "--config-file", str(config), "--site-dir", str(site), "--jobs", "2", *options]
    if cache is not None:
        command += ["--cache-dir", str(cache)]
    result = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True)
    output = result.stdout + result.stderr
    reused = re.search(r"Reused (\d+) of (\d+) pages", output)
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()} if site.is_dir() else {}
    return result.returncode, output, (int(reused[1]), int(reused[2])) if reused else None, files


def small_site(tmp_path: Path, pages: dict[str, str], name: str = "T") -> Path:
    docs = tmp_path / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir()
    for rel, text in pages.items():
        (docs / rel).write_text(text, "utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.format(name=name), "utf-8")
    return tmp_path / "mkdocs.yml"


def test_rebuild_from_the_page_cache_writes_the_site_a_build_without_it_writes(tmp_path):
    """The sample built, then one article edited and one added: the rebuild reuses the pages
    whose inputs are unchanged and builds the others, and its site is byte for byte the one a
    build without the cache writes."""
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    env = dict(ENV, BRIEFING_CACHE_DIR=str(tmp_path / "analysis-cache"))
    docs = tmp_path / "docs"

    def generate():
        done = subprocess.run([sys.executable, "-m", "generator", "generate", "--content", str(content),
                               "--docs-dir", str(docs)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    from generator.site_commands import config_for
    config = config_for(ROOT / "mkdocs.yml", docs, tmp_path)
    cache = tmp_path / "page-cache"
    generate()
    code, output, reused, first = mkdocs(config, tmp_path / "first", cache, "--strict")
    assert code == 0, output
    assert reused == (0, reused[1]) and reused[1] > 48  # enough pages for the worker processes
    article = content / "articles" / "2025-01-kursk-pressure.md"
    text = article.read_text("utf-8")
    article.write_text(text.replace("Key Points", "Key Points\n\nA convoy was seen near Sudzha on Tuesday.", 1), "utf-8")
    (content / "articles" / "2025-02-added.md").write_text(
        text.replace("2025-01-13", "2025-02-02").replace("Kursk salient under pressure", "Kursk salient holds"), "utf-8")
    generate()
    code, output, reused, cached = mkdocs(config, tmp_path / "cached", cache, "--strict")
    assert code == 0, output
    assert 0 < reused[0] < reused[1]
    code, output, _, plain = mkdocs(config, tmp_path / "plain", None, "--strict")
    assert code == 0, output
    assert sorted(cached) == sorted(plain)
    assert [rel for rel in plain if cached[rel] != plain[rel]] == []
    assert cached != first


def test_a_page_is_built_again_when_a_page_it_links_to_appears_or_goes(tmp_path):
    config = small_site(tmp_path, {"index.md": "# Home\n\nSee [the other page](other.md).\n"})
    cache = tmp_path / "cache"
    code, output, reused, site = mkdocs(config, tmp_path / "site", cache)
    assert code == 0 and reused == (0, 1)
    assert "contains a link 'other.md', but the target is not found among documentation files." in output
    assert b'href="other.md"' in site["index.html"]

    config = small_site(tmp_path, {"index.md": "# Home\n\nSee [the other page](other.md).\n", "other.md": "# Other\n"})
    code, output, reused, site = mkdocs(config, tmp_path / "site", cache)
    assert code == 0 and reused == (0, 2)
    assert "not found" not in output
    assert b'href="other/"' in site["index.html"]

    code, output, reused, again = mkdocs(config, tmp_path / "site", cache)
    assert code == 0 and reused == (2, 2) and again == site

    config = small_site(tmp_path, {"index.md": "# Home\n\nSee [the other page](other.md).\n"})
    code, output, reused, site = mkdocs(config, tmp_path / "site", cache)
    assert code == 0 and reused == (0, 1)
    assert b'href="other.md"' in site["index.html"] and "not found" in output


def test_a_reused_page_logs_its_warnings_again_so_strict_still_fails(tmp_path):
    config = small_site(tmp_path, {"index.md": "# Home\n\nSee [nowhere](nowhere.md).\n"})
    cache = tmp_path / "cache"
    warning = "Doc file 'index.md' contains a link 'nowhere.md', but the target is not found among documentation files."
    code, output, reused, _ = mkdocs(config, tmp_path / "site", cache)
    assert code == 0 and reused == (0, 1) and warning in output
    code, output, reused, _ = mkdocs(config, tmp_path / "site", cache, "--strict")
    assert reused == (1, 1)
    assert code == 1
    assert warning in output and "Aborted with 1 warnings in strict mode!" in output


def test_the_build_run_as_a_program_or_imported_reuses_the_same_pages(tmp_path):
    """`briefing build` runs the driver with `-m`, where its own Markdown extension's class is
    in `__main__`: the key names it by its module all the same."""
    config = small_site(tmp_path, {"index.md": "# Home\n\nText.\n", "one.md": "# One\n\nText.\n"})
    cache = tmp_path / "cache"
    code, output, reused, _ = mkdocs(config, tmp_path / "site", cache)
    assert code == 0 and reused == (0, 2), output
    code, output, reused, _ = mkdocs(config, tmp_path / "site", cache, launcher=IMPORTED)
    assert code == 0 and reused == (2, 2), output


def test_a_configuration_change_builds_every_page_again(tmp_path):
    pages = {"index.md": "# Home\n\nText.\n", "one.md": "# One\n\nText.\n"}
    cache = tmp_path / "cache"
    code, _, reused, _ = mkdocs(small_site(tmp_path, pages, name="First name"), tmp_path / "site", cache)
    assert code == 0 and reused == (0, 2)
    code, _, reused, site = mkdocs(small_site(tmp_path, pages, name="Second name"), tmp_path / "site", cache)
    assert code == 0 and reused == (0, 2)
    assert b"Second name" in site["one/index.html"] and b"First name" not in site["one/index.html"]


def test_the_build_date_and_the_list_of_pages_are_inputs_only_when_a_template_reads_them(tmp_path):
    plain, dated, listing = (tmp_path / name for name in ("plain", "dated", "listing"))
    for folder, body in ((plain, "{{ page.title }} {% for item in nav %}{{ item.title }}{% endfor %}"),
                         (dated, "<!-- built {{ build_date_utc }} -->"),
                         (listing, "{% for p in pages %}{{ p.url }}{% endfor %}")):
        folder.mkdir()
        (folder / "main.html").write_text(body, "utf-8")
    assert page_cache._templates([plain])[1:] == (False, False)
    assert page_cache._templates([dated])[1:] == (False, True)
    assert page_cache._templates([listing])[1:] == (True, False)
    import material
    assert page_cache._templates([Path(material.__file__).parent / "templates"])[1:] == (False, False)


def test_build_without_the_cache_keeps_no_pages(tmp_path):
    env = dict(ENV, BRIEFING_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "--content", str(SAMPLE_CONTENT),
                           "--docs-dir", str(tmp_path / "docs"), "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "cache").exists()


def test_every_file_of_a_theme_folder_of_the_sites_own_is_an_input(tmp_path):
    """A custom_dir's template may include any of its files (an icon, say): all count."""
    overrides = tmp_path / "overrides"
    (overrides / ".icons").mkdir(parents=True)
    (overrides / "main.html").write_text('{% include ".icons/mark.svg" %}', "utf-8")
    (overrides / ".icons" / "mark.svg").write_text("<svg>one</svg>", "utf-8")
    before = page_cache._templates([overrides])[0]
    (overrides / ".icons" / "mark.svg").write_text("<svg>two</svg>", "utf-8")
    assert page_cache._templates([overrides])[0] != before


def test_a_rebuild_hard_links_the_reused_pages_files_of_the_site_it_replaces(tmp_path):
    """What `briefing build` does: build into a new folder, then swap it for the site. A page
    reused from the cache whose file in the site it replaces came from the same entry is that
    file, hard-linked; a page built again is written; the site is the one a build without the
    cache writes."""
    pages = {"index.md": "# Home\n\nText.\n", "one.md": "# One\n\nText.\n", "two.md": "# Two\n\nText.\n"}
    cache, site = tmp_path / "cache", tmp_path / "site"
    code, output, reused, _ = mkdocs(small_site(tmp_path, pages), tmp_path / "new", cache, "--replacing", str(site))
    assert code == 0 and reused == (0, 3) and "0 files hard-linked" in output
    (tmp_path / "new").rename(site)

    pages["one.md"] = "# One\n\nText, edited.\n"
    code, output, reused, built = mkdocs(small_site(tmp_path, pages), tmp_path / "new", cache, "--replacing", str(site))
    assert code == 0 and reused == (2, 3) and "2 files hard-linked from the site replaced" in output
    inode = lambda folder, rel: (folder / rel).stat().st_ino  # noqa: E731
    assert inode(tmp_path / "new", "two/index.html") == inode(site, "two/index.html")
    assert inode(tmp_path / "new", "index.html") == inode(site, "index.html")
    assert inode(tmp_path / "new", "one/index.html") != inode(site, "one/index.html")
    code, output, _, plain = mkdocs(small_site(tmp_path, pages), tmp_path / "plain", None)
    assert code == 0 and built == plain


def test_a_site_file_changed_by_hand_is_written_again_not_linked(tmp_path):
    pages = {"index.md": "# Home\n\nText.\n", "one.md": "# One\n\nText.\n"}
    cache, site = tmp_path / "cache", tmp_path / "site"
    code, output, _, first = mkdocs(small_site(tmp_path, pages), tmp_path / "new", cache, "--replacing", str(site))
    assert code == 0, output
    (tmp_path / "new").rename(site)
    (site / "one" / "index.html").write_bytes(b"changed by hand")
    code, output, reused, again = mkdocs(small_site(tmp_path, pages), tmp_path / "new", cache, "--replacing", str(site))
    assert code == 0 and reused == (2, 2) and "1 files hard-linked" in output
    assert again == first and (site / "one" / "index.html").read_bytes() == b"changed by hand"


def test_briefing_build_links_the_unchanged_article_pages_of_its_previous_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    env = dict(ENV, BRIEFING_CACHE_DIR=str(tmp_path / "cache"))
    site = tmp_path / "site"

    def build() -> str:
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--docs-dir",
                               str(tmp_path / "docs"), "--site-dir", str(site)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    build()
    kept, edited = site / "articles/2025-01-black-sea-shipping/index.html", site / "articles/2025-01-kursk-pressure/index.html"
    before = kept.stat().st_ino, edited.stat().st_ino
    article = content / "articles" / "2025-01-kursk-pressure.md"
    article.write_text(article.read_text("utf-8").replace("Key Points", "Key Points\n\nA convoy was seen near Sudzha.", 1), "utf-8")
    output = build()
    assert re.search(r"; [1-9]\d* files hard-linked from the site replaced", output), output
    assert kept.stat().st_ino == before[0] and edited.stat().st_ino != before[1]
