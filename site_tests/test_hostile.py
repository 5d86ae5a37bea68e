"""Hostile and broken input (issue 7): clear errors, nothing lost, nothing executed.

The hostile corpus is in ``fixtures/hostile/`` (its README lists what each file carries); the
big inputs, alias bombs, symbolic links and names that differ only by case are generated here
into ``tmp_path``. Every input must be rendered with each character shown as text, or refused
with ``path:line: what is wrong`` (``briefing check`` exits 1); never a traceback; the content
folder never changes; a failed build leaves the last good output in place; two builds of the
same input are byte-identical; and in headless Chromium no page built from it runs a script.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import shutil
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.reading import MAX_ARTICLE_BYTES, MAX_LINE_CHARS
from generator.writing import MARKER, OutputFolderError, write_pages
from generator.yamlio import MAX_YAML_DEPTH, MAX_YAML_NODES

from conftest import FIXTURES, folder_digest, run_cli, write_content
from sitebuild import ROOT, briefing

HOSTILE = FIXTURES / "hostile"
RENDERS = HOSTILE / "renders"
ERRORS = HOSTILE / "errors"
BODY = "Officials in Kharkiv met on Monday. They talked about the winter.\n"
MARK = "PWNED"  # every injected payload carries it: it may appear in text, never as markup
CHROMIUM = os.environ.get("BRIEFING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SITE_URL = "http://127.0.0.1:{port}/"

# What `briefing build` says about the renders corpus (and the files generated beside it).
RENDER_WARNINGS = [
    "encodings/binary.md: warning: binary file (not text); skipped",
    "encodings/empty.md: warning: empty file; skipped",
    "encodings/latin1.txt:1: warning: not valid UTF-8; read as cp1252",
    "encodings/mixed-utf8.txt:4: warning: not valid UTF-8; read as cp1252",
    "encodings/nul-byte.txt:3: warning: NUL byte shown as a space",
    "encodings/utf16.txt: warning: UTF-16 file read as UTF-16",
    "generated/linked-folder: warning: symbolic link to a folder outside the content folder; skipped",
    "generated/outside.md: warning: symbolic link points outside the content folder; skipped",
    "generated/utf16-no-bom.txt: warning: UTF-16 file without byte-order mark read as UTF-16-LE",
]
# Payloads that must be shown, character for character, as text of the page they are on.
SHOWN = {
    "articles/xss/index.html": [
        "<script>console.log('PWNED-title')</script> \"><img src=x onerror=alert('PWNED-title-img')> & {{ 7*7 }}",
        "<b onmouseover=alert('PWNED-source')>Wire</b> {% if 1 %}jinja{% endif %}",
        "https://example.org/report?q=%3Cscript%3E&x='y'&next=javascript:alert(1)",
        "Officials said <script>console.log('PWNED-script')</script> and <img src=x onerror=\"alert('PWNED-img')\">",
        "[click me](javascript:alert('PWNED-md-link'))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![image](javascript:alert('PWNED-md-image'))",
        "<javascript:alert('PWNED-autolink')>",
        "&lt;script&gt;alert('PWNED-entity')&lt;/script&gt; and &#60;b&#62; and &amp;amp;",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('PWNED-meta')\">",
    ],
    "articles/markdown-blocks/index.html": [
        '??? danger "Injected details block"', '???+ note "Injected open details"',
        '!!! warning "Injected admonition"', "> Injected blockquote", "~~~ injected fence",
        "``` injected fence", "--- injected rule", "=== injected setext",
        "{: #injected onclick=\"alert('PWNED-attr-list')\" }", '<div markdown="1">**injected** html block</div>',
        "[ref]: javascript:alert('PWNED-refdef')", "[TOC]", "*[HTML]: Hyper Text injected abbreviation",
        "<!-- injected comment --> and <?php echo 1; ?> and <![CDATA[ x ]]> stay in Kyiv.",
        "Backslashes \\\\ \\* \\_ \\` and a trailing backslash \\",
        "__config", "__search", "__palette_0",
    ],
    "articles/jinja/index.html": [
        "<img src=x onerror=alert('PWNED-override-title')> {{ 7*7 }}",
        "Template syntax {{ 7*7 }} and {{ config }} and {{ self.__init__.__globals__ }} in Kyiv.",
        "{% for x in range(3) %}{{ x }}{% endfor %} and {% include 'article.md.j2' %} and {%- raw -%}",
        "Comments {# hidden? #} and {{ '<script>alert(\"PWNED-jinja\")</script>' }} and {{- lipsum() -}}",
        "- not a list <script>console.log('PWNED-article-summary')</script>",
    ],
    "articles/table-breakers/index.html": [
        "<script>console.log('PWNED-cell')</script>", "an | escaped pipe", "``double `tick` code``",
        "line<br>break", "**bold** _em_", "[x](javascript:alert('PWNED-cell-link'))",
    ],
    "matrices/united-states-vs-russia/index.html": [
        "<img src=x onerror=alert('PWNED-matrix-summary')> | pipes | and `ticks`",
        "NATO <b onmouseover=alert('PWNED-matrix')>membership</b>", "<img src=x onerror=alert('PWNED-matrix-cell')>",
    ],
    "regions/evil-town/index.html": [
        "Evil<img src=x onerror=alert('PWNED-entity-name')>town",
        "Also known as: Eviltown · <script>console.log('PWNED-alias')</script> · {{ 7*7 }} town",
        "??? danger \"details\" <img src=x onerror=alert('PWNED-override-img')> wzxhzdk:0 \ufffd",
    ],
    "actors/evil-person/index.html": [
        "Evil <svg onload=alert('PWNED-actor-name')> Person", "<iframe src=javascript:alert('PWNED-role')></iframe> {% raw %}",
        "!!! note <b>bold</b> {{ config }}",
    ],
    "regions/kharkiv/index.html": [
        "Kharkov city · <b>Kharkov</b>",
        "<script>console.log('PWNED-override')</script> {{ 7*7 }} {% if true %}x{% endif %} [a](javascript:alert('PWNED-override-link'))",
    ],
    "actors/vladimir-putin/index.html": ["Peace <img src=x onerror=alert('PWNED-quote')> is near,"],
    "quotes/index.html": ["— the <i>commander</i> of the Kharkiv garrison",
                          "We will not <script>console.log('PWNED-quote-script')</script> give up,"],
    "figures/index.html": ["3,400 soldiers"],
    "regions/kharkiv-oblast/index.html": ["Status: <script>console.log('PWNED-cell')</script>"],
    "regions/donetsk-oblast/index.html": ["[x](javascript:alert('PWNED-cell-link'))",
                                          "Donetsk <img src=x onerror=alert('PWNED-cell-img')>"],
    "index.html": ["# not a heading <script>console.log('PWNED-home')</script> {{ 7*7 }}"],
    "articles/latin1/index.html": ["Caf\u00e9 owners in Kharkiv \u201cwait\u201d for power \u2013 again"],
    "articles/mixed-utf8/index.html": ["Z\u00fcrich and Kharkiv traded notes", "A stray \u2013 byte on line 4."],
    "articles/nul-byte/index.html": ["Officials in Kharkiv met on Monday"],
}


# --- helpers -------------------------------------------------------------------------------

def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _config(out: Path, site_url: str) -> Path:
    """mkdocs.yml with ``site_url`` set, as the publishing workflow builds (sitemap.xml gets URLs and dates)."""
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    settings["site_url"] = site_url
    config = out / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), "utf-8")
    return config


def _build(content: Path, out: Path, config: Path | None = None):
    args = ["build", "--content", str(content), "--docs-dir", str(out / "docs"), "--site-dir", str(out / "site"), "--strict"]
    return briefing(*args, *(["--config-file", str(config)] if config else []))


def _diagnostics(text: str, content: Path | None = None) -> list[str]:
    """The `path[:line[:column]]: message` lines of an output, without the summary lines; paths
    relative to the content folder (the CLI may show them from the working directory)."""
    lines = [line for line in text.splitlines()
             if line.strip() and not line.startswith(("briefing:", "INFO", "WARNING", "  ")) and ": " in line
             and not re.match(r"^\d+ (error|article)", line) and not line.startswith(("generated ", "built "))]
    if content is not None:
        prefix = content.as_posix().rstrip("/") + "/"
        lines = [line[len(prefix):] if line.startswith(prefix) else line for line in lines]
    return lines


def _no_traceback(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output, output


# Elements no page of the site has (the theme's own markup included): one of them is injected.
_NEVER_IN_A_PAGE = frozenset("iframe frame frameset object embed applet img style base audio video source".split())


class _Page(HTMLParser):
    """Text of a page, and every place where the payload mark shows up as markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.markup: list[str] = []
        self.summaries: list[str] = []
        self.ids: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._open.append(tag)
        self.ids += [value for name, value in attrs if name == "id"]
        for name, value in attrs:
            if name.startswith("on"):
                self.markup.append(f"<{tag} {name}=…>")
            if value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.markup.append(f"<{tag} {name}={value[:40]}>")
            if value and MARK in value:
                self.markup.append(f"<{tag} {name}={value[:60]}>")
        if tag in _NEVER_IN_A_PAGE or (tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh"):
            self.markup.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data):
        inside = self._open[-1] if self._open else ""
        if inside in ("script", "style") and MARK in data:
            self.markup.append(f"<{inside}>{data[:60]}")
        if inside == "summary":
            self.summaries.append(data.strip())
        if inside not in ("script", "style"):
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    return page


def _shown(page: _Page) -> str:
    return " ".join("".join(page.text).split())


# --- the renders corpus: built twice, served, read in Chromium -------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The renders corpus plus generated extras, built twice with `briefing build --strict`."""
    root = tmp_path_factory.mktemp("hostile")
    content = _copy(RENDERS, root / "content")
    outside = write_content(root / "outside", {"secret.md": "SECRET-OUTSIDE text about Kharkiv.\n",
                                               "folder/also.md": "SECRET-OUTSIDE folder about Kharkiv.\n"})
    generated = content / "generated"
    generated.mkdir()
    (generated / "utf16-no-bom.txt").write_bytes(
        "A UTF-16 story without a byte-order mark\n\nOfficials in Kharkiv met on Monday.\n".encode("utf-16-le"))
    (generated / "outside.md").symlink_to(outside / "secret.md")
    (generated / "linked-folder").symlink_to(outside / "folder", target_is_directory=True)
    before = folder_digest(content)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "a" / "site")))
    base = SITE_URL.format(port=server.server_port)
    results = {}
    for name in ("a", "b"):
        (root / name).mkdir()
        results[name] = _build(content, root / name, _config(root / name, base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"root": root, "content": content, "base": base, "results": results, "before": before}
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def test_hostile_corpus_builds_and_names_every_skipped_file(hostile):
    for name, result in hostile["results"].items():
        _no_traceback(result.stdout, result.stderr)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [line for line in _diagnostics(result.stderr, hostile["content"]) if "warning:" in line] == RENDER_WARNINGS


def test_content_folder_is_unchanged_by_two_builds(hostile):
    assert folder_digest(hostile["content"]) == hostile["before"]


def test_two_builds_are_byte_identical(hostile):
    one, two = _tree(hostile["root"] / "a" / "site"), _tree(hostile["root"] / "b" / "site")
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []
    assert _tree(hostile["root"] / "a" / "docs") == _tree(hostile["root"] / "b" / "docs")


def test_sitemap_dates_come_from_the_content_not_the_build_day(hostile):
    """MkDocs writes the build day into sitemap.xml's <lastmod> (and the .gz header); briefing
    gives it the newest article date instead, so a build tomorrow is byte-identical too."""
    site = hostile["root"] / "a" / "site"
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {"2025-01-02"}
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    header_time = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert time.strftime("%Y-%m-%d", time.gmtime(header_time)) == "2025-01-02"


def test_nothing_from_outside_the_content_folder_is_published(hostile):
    for path, data in _tree(hostile["root"] / "a" / "site").items():
        assert b"SECRET-OUTSIDE" not in data, path


def test_no_page_carries_injected_markup(hostile):
    site = hostile["root"] / "a" / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        page = _parse(path)
        assert page.markup == [], path
        # no heading takes the id of one of the theme's elements ("# __config" would break its script)
        assert sorted(i for i in page.ids if page.ids.count(i) > 1) == [], path
        assert set(page.summaries) <= {"Automatic summary (replaced by the editor's)"}, (path, page.summaries)


@pytest.mark.parametrize("page", sorted(SHOWN))
def test_every_payload_is_shown_as_text(hostile, page):
    shown = _shown(_parse(hostile["root"] / "a" / "site" / page))
    for text in SHOWN[page]:
        assert " ".join(text.split()) in shown, text


def test_every_page_of_the_hostile_site_runs_no_injected_script(hostile):
    """Headless Chromium loads every page, then searches for the payloads and opens a result."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    site, base = hostile["root"] / "a" / "site", hostile["base"]
    seen: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
            page.on("console", lambda message: seen.append(f"console {message.type}: {message.text}"))
            page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
            page.on("request", lambda request: seen.append(f"request: {request.url}")
                    if not request.url.startswith(base) or request.url.rstrip("/").endswith("/x") else None)
            for path in sorted(site.rglob("*.html")):
                page.goto(base + path.relative_to(site).as_posix(), wait_until="load")
            page.goto(base, wait_until="load")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            field = page.locator("input.md-search__input")
            results = page.locator(".md-search-result__list a.md-search-result__link")
            for query in ("onerror", "script", "Evilperson", "Eviltown"):  # results show the payloads
                field.fill("")
                field.press_sequentially(query)
                page.wait_for_function("q => document.querySelector('.md-search-result__meta')"
                                       ".textContent.includes('matching') && location.href", arg=query)
                try:  # the result list is drawn just after the count: wait for it, boundedly
                    results.first.wait_for(state="visible")
                except playwright_api.Error:
                    pytest.fail(f"no result shown for {query!r}: {page.inner_text('.md-search-result__meta')}")
            results.first.click()  # a result page, with the query highlighted (?h=…)
            page.wait_for_load_state("load")
            page.wait_for_timeout(500)
        finally:
            browser.close()
    assert seen == []


# --- refused inputs kept as fixtures ----------------------------------------------------------

def _last_good_output(out: Path) -> tuple[Path, Path]:
    """A docs folder and a site as a previous good build left them."""
    docs, site = out / "docs", out / "site"
    write_content(docs, {MARKER: "x", "index.md": "# last good\n"})
    write_content(site, {"index.html": "<p>last good</p>\n"})
    return docs, site


def _refused(content: Path, out: Path, capsys) -> list[str]:
    """Run check and build in-process; both exit 1 and touch neither the content nor the output."""
    before = folder_digest(content)
    docs, site = _last_good_output(out)
    output = folder_digest(out)
    status, stdout, stderr = run_cli(["check", "--content", str(content)], capsys)
    _no_traceback(stdout, stderr)
    assert status == 1, stdout + stderr
    printed = _diagnostics(stderr, content)
    status, build_out, build_err = run_cli(["build", "--content", str(content), "--docs-dir", str(docs),
                                            "--site-dir", str(site)], capsys)
    _no_traceback(build_out, build_err)
    assert status == 1, build_out + build_err
    assert "nothing written" in build_err
    assert [line for line in _diagnostics(build_err, content) if "warning:" not in line] == \
        [line for line in printed if "warning:" not in line]
    assert folder_digest(content) == before
    assert folder_digest(out) == output
    return printed


@pytest.mark.parametrize("case", sorted(p.name for p in ERRORS.iterdir() if p.is_dir()))
def test_refused_fixture_prints_path_line_messages(case, tmp_path, capsys):
    content = _copy(ERRORS / case, tmp_path / "content")
    expected = (ERRORS / f"{case}.expected").read_text("utf-8").splitlines()
    assert _refused(content, tmp_path / "out", capsys) == expected


# --- refused inputs generated at test time ----------------------------------------------------

def _billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int = 8, width: int = 9) -> str:
    """Merge keys whose anchors are defined inside the merge itself: every mapping is flattened
    before any of it is walked, so a plain node count after flattening would come too late."""
    def nested(i: int) -> str:
        if i == 0:
            return "&a0 {x: 1, y: 2}"
        return f"&a{i} {{<<: [{nested(i - 1)}, " + ", ".join([f"*a{i - 1}"] * width) + "]}"
    return f"kharkiv: {{<<: [{nested(levels)}]}}\n"


def _big_article(root: Path) -> None:
    with open(root / "huge.md", "wb") as f:  # sparse: 50 MB on the file system, no disk used
        f.truncate(50 * 1024 * 1024)


GENERATED = {
    "50 MB article": (
        _big_article,
        [f"huge.md: file is 52,428,800 bytes, over the limit of {MAX_ARTICLE_BYTES:,} bytes (20 MiB) for an article"]),
    "200,000-character line": (
        lambda root: write_content(root, {"long.txt": "A headline about Kharkiv\n\n" + "Kharkiv " * 25_000 + "\n" + BODY}),
        [f"long.txt:3: line is 199,999 characters long, over the limit of {MAX_LINE_CHARS:,} characters per line"]),
    "long lines in front matter and body": (
        lambda root: write_content(root, {"long.md": "---\ntitle: " + "x" * 200_000 + "\n---\n" + ("y" * 150_000 + "\n") * 3}),
        [f"long.md:2: line is 200,007 characters long, over the limit of {MAX_LINE_CHARS:,} characters per line "
         "(3 more lines like it)"]),
    "alias bomb in front matter": (
        lambda root: write_content(root, {"bomb.md": "---\n" + _billion_laughs() + "title: x\n---\n" + BODY}),
        [f"bomb.md:6:5: YAML expands to more than {MAX_YAML_NODES:,} nodes (alias bomb?); refused"]),
    "alias bomb in an override": (
        lambda root: write_content(root, {"a.txt": BODY, "overrides/regions.yaml": _billion_laughs()}),
        [f"overrides/regions.yaml:5:5: YAML expands to more than {MAX_YAML_NODES:,} nodes (alias bomb?); refused"]),
    "merge-key bomb in an override": (
        lambda root: write_content(root, {"a.txt": BODY, "overrides/regions.yaml": _merge_bomb()}),
        [f"overrides/regions.yaml:1:46: YAML expands to more than {MAX_YAML_NODES:,} nodes (alias bomb?); refused"]),
    "alias bomb in entities.yaml": (
        lambda root: write_content(root, {"a.txt": BODY, "entities.yaml": _billion_laughs()}),
        [f"entities.yaml:5:5: YAML expands to more than {MAX_YAML_NODES:,} nodes (alias bomb?); refused"]),
    "recursive alias": (
        lambda root: write_content(root, {"loop.md": "---\ntitle: &t [*t]\n---\n" + BODY}),
        [f"loop.md:2:8: YAML nests deeper than {MAX_YAML_DEPTH} levels (aliases included); refused"]),
    "alias chain deeper than the limit": (
        lambda root: write_content(root, {"a.txt": BODY, "overrides/regions.yaml": "".join(
            f"k{i}: &k{i} [*k{i - 1}]\n" if i else "k0: &k0 [x]\n" for i in range(200))}),
        [f"overrides/regions.yaml:64:6: YAML nests deeper than {MAX_YAML_DEPTH} levels (aliases included); refused"]),
    "nesting deeper than Python's recursion limit": (
        lambda root: write_content(root, {"deep.md": "---\ntitle: " + "[" * 5000 + "\n---\n" + BODY}),
        [f"deep.md:2:71: YAML nests deeper than {MAX_YAML_DEPTH} levels (aliases included); refused"]),
    "two file names that differ only by case": (
        lambda root: write_content(root, {"Kursk.md": BODY, "kursk.md": BODY}),
        ["kursk.md: article id 'kursk' is also the id of Kursk.md; rename one file"]),
    "entities.yaml linked from outside": (
        lambda root: _link(root, {"a.txt": BODY}, "entities.yaml", "entities.yaml", "- id: secret\n"),
        ["entities.yaml: symbolic link points outside the content folder; refused"]),
    "overrides folder linked from outside": (
        lambda root: _link(root, {"a.txt": BODY}, "overrides", "ov/regions.yaml", "kharkiv: {summary: x}\n", folder=True),
        ["overrides: symbolic link points outside the content folder; refused"]),
    "an override file linked from outside": (
        lambda root: _link(root, {"a.txt": BODY, "overrides/home.yaml": "summary: fine\n"}, "overrides/regions.yaml",
                           "r.yaml", "kharkiv: {summary: x}\n"),
        ["overrides/regions.yaml: symbolic link points outside the content folder; refused"]),
}


def _link(root: Path, files: dict, link: str, target: str, text: str, folder: bool = False) -> None:
    """Content with ``link`` a symbolic link to a file written outside the content folder (or its folder)."""
    write_content(root, files)
    outside = write_content(root.parent / "outside", {target: text}) / target
    (root / link).symlink_to(outside.parent if folder else outside, target_is_directory=folder)


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_hostile_input_is_refused_with_its_limit_named(case, tmp_path, capsys):
    make, expected = GENERATED[case]
    content = tmp_path / "content"
    content.mkdir()
    make(content)
    started = time.perf_counter()
    printed = _refused(content, tmp_path / "out", capsys)
    assert printed == expected
    assert time.perf_counter() - started < 60  # refused, not ground through


def test_big_article_is_refused_without_being_read(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    content.mkdir()
    _big_article(content)
    monkeypatch.setattr(Path, "read_bytes", _no_read(Path.read_bytes, "huge.md"))
    status, _, stderr = run_cli(["check", "--content", str(content)], capsys)
    assert status == 1 and "over the limit of 20,971,520 bytes (20 MiB)" in stderr


def _no_read(original, name: str):
    def read_bytes(self):
        assert self.name != name, "the oversized article was read"
        return original(self)
    return read_bytes


def test_ten_thousand_row_table_is_rendered_rectangular(tmp_path, capsys):
    head = "| Region | Status | Notes |\n| --- | --- | --- |\n"
    rows = "".join(f"| Place {i} | held <b>{i}</b> | `x|y` {{{{ {i} }}}} \\| z |\n" for i in range(10_000))
    content = write_content(tmp_path / "content", {"rows.md": "---\ntitle: Ten thousand rows\n---\n"
                                                   "Officials in Kharkiv published a table.\n\n" + head + rows})
    before = folder_digest(content)
    status, _, stderr = run_cli(["generate", "--content", str(content), "--docs-dir", str(tmp_path / "docs")], capsys)
    assert status == 0, stderr
    page = (tmp_path / "docs" / "articles" / "rows.md").read_text("utf-8")
    text = page[page.index("## Text"):]
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 10_002  # header, separator, every row
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert widths == {6}  # 4 cells (the pipe in the code span splits, as in GFM) and the outer pipes
    assert "| Place 9999 | held &lt;b&gt;9999&lt;/b&gt; | \\`x | y\\` \\{\\{ 9999 \\}\\} \\| z |" in table
    assert folder_digest(content) == before


# --- the output is replaced only when a build succeeds ----------------------------------------

def test_failed_mkdocs_build_keeps_the_last_good_site(tmp_path):
    content = _copy(FIXTURES / "clean_corpus", tmp_path / "content")
    out = tmp_path / "out"
    assert _build(content, out).returncode == 0
    site = _tree(out / "site")
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / "mkdocs.yml").read_text("utf-8").replace("name: material", "name: no-such-theme"))
    result = _build(content, out, broken)
    _no_traceback(result.stdout, result.stderr)
    assert result.returncode == 1
    assert "the previous site was left in place" in result.stderr
    assert _tree(out / "site") == site
    assert sorted(p.name for p in out.iterdir()) == ["docs", "site"]  # no half-built folder left beside it


def test_generate_writes_all_pages_or_none(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    write_pages({"index.md": "old home\n", "a/one.md": "old one\n", "a/two.md": "old two\n"}, docs)
    before = _tree(docs)
    original = Path.write_bytes
    calls = []

    def failing(self, data):
        calls.append(self.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(self))
        return original(self, data)
    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        write_pages({"index.md": "new home\n", "a/one.md": "new one\n", "a/two.md": "new two\n", "b.md": "new\n"}, docs)
    monkeypatch.undo()
    assert _tree(docs) == before  # not one page new, no temporary file left


def test_a_folder_in_the_way_of_a_page_writes_nothing(tmp_path):
    docs = tmp_path / "docs"
    write_pages({"index.md": "old\n", "b.md": "old b\n"}, docs)
    (docs / "c.md").mkdir()
    before = folder_digest(docs)
    with pytest.raises(OutputFolderError, match="in the way of a generated page"):
        write_pages({"index.md": "new\n", "b.md": "new b\n", "c.md": "new c\n"}, docs)
    assert folder_digest(docs) == before


def test_stale_files_and_links_are_deleted_and_emptied_folders_removed(tmp_path):
    """A rerun deletes what it did not plan: files, a link to a file, a link to a folder (the
    link, never what it points to), folders left empty; the marker and planned pages stay."""
    outside = tmp_path / "outside"
    write_content(outside, {"keep.md": "not ours\n", "folder/inner.md": "not ours\n"})
    docs = tmp_path / "docs"
    write_pages({"index.md": "home\n", "a/one.md": "one\n", "a/deep/two.md": "two\n", "c/three.md": "3\n"}, docs)
    (docs / "a" / "file-link.md").symlink_to(outside / "keep.md")
    (docs / "a" / "folder-link").symlink_to(outside / "folder", target_is_directory=True)
    (docs / "empty" / "nested").mkdir(parents=True)
    report = write_pages({"index.md": "home\n", "a/one.md": "one\n"}, docs)
    assert report.deleted == ("a/deep/two.md", "a/file-link.md", "a/folder-link", "c/three.md")
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == [MARKER, "a", "a/one.md", "index.md"]
    assert folder_digest(outside) and (outside / "folder" / "inner.md").read_text("utf-8") == "not ours\n"


def test_generate_that_fails_while_writing_leaves_the_docs_folder_as_it_was(tmp_path, capsys):
    content = _copy(FIXTURES / "clean_corpus", tmp_path / "content")
    docs = tmp_path / "docs"
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(docs)], capsys)[0] == 0
    (content / "port-night.md").write_text((content / "port-night.md").read_text("utf-8") + "\nA new line in Odesa.\n")
    blocked = docs / "articles" / "front-notes.md"
    blocked.unlink()
    blocked.mkdir()  # a folder where a page goes: writing fails after other pages were staged
    before = folder_digest(docs)
    status, stdout, stderr = run_cli(["generate", "--content", str(content), "--docs-dir", str(docs)], capsys)
    _no_traceback(stdout, stderr)
    assert status == 1 and "in the way of a generated page" in stderr
    assert folder_digest(docs) == before  # the changed article page is not half-written in


@pytest.mark.parametrize("rel", ["../../x.md", "/etc/passwd", "a/../../x.md", "./a.md", "a//b.md", "..",
                                 ".hidden/x.md", "a\\..\\b.md", "C:/x.md", ""])
def test_page_paths_that_would_leave_the_docs_folder_are_refused(tmp_path, rel):
    docs = tmp_path / "site" / "docs"
    with pytest.raises(OutputFolderError, match="would leave the docs folder"):
        write_pages({"index.md": "home\n", rel: "escaped\n"}, docs)
    assert list(tmp_path.iterdir()) == []


def test_docs_folder_that_is_not_ours_is_refused(tmp_path, capsys):
    docs = write_content(tmp_path / "mine", {"notes.md": "my own notes\n"})
    status, _, stderr = run_cli(["generate", "--content", str(FIXTURES / "clean_corpus"), "--docs-dir", str(docs)], capsys)
    assert status == 1 and "was not made by briefing; refusing to write into it" in stderr
    assert _tree(docs) == {"notes.md": b"my own notes\n"}


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path, capsys):
    status, stdout, stderr = run_cli(["generate", "--content", str(FIXTURES / "clean_corpus"),
                                      "--docs-dir", "/dev/null/docs"], capsys)
    _no_traceback(stdout, stderr)
    assert status == 1
    assert "/dev/null/docs: Not a directory" in stderr


# --- small inputs that render ------------------------------------------------------------------

def test_an_article_with_a_nul_byte_is_kept_not_skipped(tmp_path, capsys):
    content = write_content(tmp_path / "content", {"a.txt": b"A story about Kharkiv today\n\nOfficials\x00 in Kharkiv met.\n"})
    status, stdout, stderr = run_cli(["check", "--content", str(content)], capsys)
    assert status == 0 and "1 articles" in stdout
    assert _diagnostics(stderr, content) == ["a.txt:3: warning: NUL byte shown as a space"]


def test_yaml_that_only_looks_typed_keeps_its_text(tmp_path, capsys):
    """`title: No` is the title "No", not YAML's false; `source: 1.10` keeps its zero."""
    content = write_content(tmp_path / "content", {"a.md": "---\ntitle: No\nsource: 1.10\n---\n" + BODY})
    status, stdout, stderr = run_cli(["export", "--content", str(content)], capsys)
    assert status == 0, stderr
    assert '"title": "No"' in stdout and '"source": "1.10"' in stdout


def test_committed_encoding_fixtures_are_still_their_bytes():
    """The hostile corpus is bytes, not text (fixtures/hostile/.gitattributes: no conversion)."""
    encodings = RENDERS / "encodings"
    assert b"\x00" in (encodings / "nul-byte.txt").read_bytes()
    assert (encodings / "utf16.txt").read_bytes().startswith(b"\xff\xfe")
    assert b"\x96" in (encodings / "mixed-utf8.txt").read_bytes()
    assert (encodings / "empty.md").read_bytes() == b""
