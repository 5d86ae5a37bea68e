"""The built site in a real browser, used as a reader uses it.

Each site (the bundled sample and the user's corpus at ../shared/corpus) is built with
`briefing build --strict`, served on 127.0.0.1 by a static file server in a thread, and read
with Debian's Chromium driven by Playwright: search, citations, the matrix page, the
navigation, palettes and a phone-sized screen. Screenshots go to test-artifacts/ (git-ignored).
Nothing here measures time; waits are bounded only so a broken page fails instead of hanging.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
import yaml

from generator import search
from sitebuild import ROOT, SHARED_CORPUS, briefing

try:
    from playwright import sync_api as playwright_api
except ImportError:
    if os.environ.get("CI"):  # CI installs '.[test]': a missing Playwright is a broken install
        raise
    pytest.skip("playwright is not installed (pip install -e '.[test]')", allow_module_level=True)
expect = playwright_api.expect

SAMPLE = ROOT / "content"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("BRIEFING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000  # upper bound for anything to appear; not a timing assertion
expect.set_options(timeout=WAIT_MS)

KURSK = "regions/kursk-oblast/"
ZELENSKY = "actors/volodymyr-zelensky/"
MATRIX = "matrices/united-states-vs-russia/"
H1 = "article.md-content__inner h1"  # the page's title (search results are <article>s too)
SECTIONS = {  # navigation label: (path, page title)
    "Home": ("", "Briefing"), "Regions": ("regions/", "Regions"), "Actors": ("actors/", "Actors"),
    "Matrices": ("matrices/", "Position matrices"), "Articles": ("articles/", "Articles"),
    "Figures": ("figures/", "Figures"), "Quotes": ("quotes/", "Quotes")}


def _heading(text: str) -> re.Pattern:
    """A page title as shown: the text, then the permalink sign the toc extension adds."""
    return re.compile(r"^\s*" + re.escape(text) + r"\s*¶?\s*$")


def _content(name: str) -> Path:
    if name == "sample":
        return SAMPLE
    if not SHARED_CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_CORPUS} is missing")
        pytest.skip("../shared/corpus is not here")
    return SHARED_CORPUS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module", params=["sample", "shared"])
def site(request, tmp_path_factory):
    """(corpus name, base URL) of the built site served on a free port of 127.0.0.1.

    The site is built as the publishing workflow builds it: with `site_url` set to the address
    it is served from, which Material's instant navigation needs (it reads sitemap.xml).
    """
    content = _content(request.param)
    out = tmp_path_factory.mktemp(f"browser-{request.param}")
    handler = functools.partial(_QuietHandler, directory=str(out / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # bound now: the port is ours
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
        settings["site_url"] = base
        config = out / "mkdocs.yml"
        config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), "utf-8")
        # the full-text index in shards of two articles, so that its search merges several
        result = briefing("build", "--content", str(content), "--docs-dir", str(out / "docs"),
                          "--site-dir", str(out / "site"), "--config-file", str(config), "--strict",
                          env={search.SHARD_ENV: "2"})
        assert result.returncode == 0, result.stdout + result.stderr
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield request.param, base
        server.shutdown()
        thread.join()
    finally:
        server.server_close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user data dir
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport=DESKTOP, color_scheme="light", locale="en-US")
        context.set_default_timeout(WAIT_MS)
        try:
            yield context
        finally:
            context.close()


class Reader:
    """A browser tab that records what a reader would notice going wrong."""

    def __init__(self, page, base: str, corpus: str):
        self.page, self.base, self.corpus = page, base, corpus
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the page moved on (the theme's
        # search worker still loading when a link is followed): not a failure a reader sees.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def url(self, path: str = "") -> str:
        return self.base + path

    def open(self, path: str = ""):
        self.page.goto(self.url(path), wait_until="load")
        expect(self.page.locator(H1)).to_be_visible()
        return self.page

    def wait_for_path(self, path: str) -> None:
        """Wait until the tab shows ``path`` (instant navigation changes the URL without a load)."""
        pattern = re.compile("^" + re.escape(self.url(path)) + r"(?:[?#].*)?$")
        self.page.wait_for_url(pattern)

    def click(self, link) -> None:
        """Click as a person does: the link is on screen and the page has stopped scrolling.

        Material remembers the scroll offset in history.state shortly after each scroll; a click
        in that moment (which a script makes, a reader hardly) lands on the remembered offset
        instead of the link's #anchor. So wait until the offset is remembered first.
        """
        link.scroll_into_view_if_needed()
        self.page.wait_for_function(
            "() => window.scrollY === 0 || (history.state !== null && Math.abs(history.state.y - window.scrollY) < 1)")
        link.click()

    def search(self, text: str):
        page = self.page
        page.locator("label.md-search__icon, .md-search__input").first.click()
        field = page.locator("input.md-search__input")
        expect(field).to_be_focused()
        field.fill("")
        field.press_sequentially(text)
        results = page.locator(".md-search-result__list a.md-search-result__link")
        expect(results.first).to_be_visible()
        return results

    def screenshot(self, name: str, full_page: bool = False) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.corpus}-{name}.png"), full_page=full_page)

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture
def reader(site, browser_context):
    corpus, base = site
    page = browser_context.new_page()
    page.set_viewport_size(DESKTOP)
    try:
        yield Reader(page, base, corpus)
    finally:
        try:
            page.evaluate("() => localStorage.clear()")  # palette choices stay with their test
        except playwright_api.Error:
            pass
        page.close()


def _result_for(reader: Reader, path: str):
    """The search result that is the page ``path`` itself (not one of its sections)."""
    selector = (f".md-search-result__list a.md-search-result__link[href^='{reader.url(path)}']"
                ":not([href*='#'])")
    link = reader.page.locator(selector)
    expect(link).to_have_count(1)
    return link


def _anchor_target(page):
    """The element the URL's #fragment names, checked to exist."""
    fragment = urlparse(page.url).fragment
    assert fragment, page.url
    target = page.locator(f"[id='{fragment}']")
    expect(target).to_have_count(1)
    return target


def test_home_loads_without_errors(reader):
    page = reader.open()
    expect(page).to_have_title(re.compile("Briefing"))
    expect(page.locator(H1)).to_have_text(_heading("Briefing"))
    expect(page.locator("article.md-content__inner table").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    reader.screenshot("home")
    reader.assert_clean()


def test_search_for_kursk_opens_the_region_page(reader):
    page = reader.open()
    reader.search("Kursk")
    link = _result_for(reader, KURSK)
    expect(link).to_contain_text("Kursk Oblast")
    link.click()
    reader.wait_for_path(KURSK)
    expect(page.locator(H1)).to_have_text(_heading("Kursk Oblast"))
    expect(page.locator("#__search")).not_to_be_checked()
    reader.assert_clean()


def test_alias_search_leads_to_the_actor_page(reader):
    """'Selenskyj' is how German-language sources write Zelensky; the actor page lists it."""
    page = reader.open()
    # The alias is in the page's own search entry (its "Written as:" line), not only in the
    # entries of its mention sections, so the search finds the page itself.
    index = page.request.get(reader.url("search/search_index.json")).json()
    entry = next(d for d in index["docs"] if d["location"] == ZELENSKY)
    assert "Written as" in entry["text"] and "Selenskyj" in entry["text"], entry["text"][:300]
    reader.search("Selenskyj")
    link = _result_for(reader, ZELENSKY)
    link.click()
    reader.wait_for_path(ZELENSKY)
    expect(page.locator(H1)).to_have_text(_heading("Volodymyr Zelensky"))
    expect(page.locator("article.md-content__inner")).to_contain_text("Written as")
    expect(page.locator("article.md-content__inner")).to_contain_text("Selenskyj")
    expect(page.locator("#__search")).not_to_be_checked()  # the search closed on arrival
    page.wait_for_function(  # and its dimming overlay has faded out
        "() => getComputedStyle(document.querySelector('.md-search__overlay')).opacity === '0'")
    reader.screenshot("actor")
    reader.assert_clean()


def test_full_text_search_finds_the_articles_of_every_shard(reader):
    """Pagefind's search on the articles index merges the shards listed in pagefind/shards.json:
    a word every article page shows ("language: en") finds every article, not only the first
    shard's, and a result leads to its article."""
    page = reader.open("articles/")
    articles = page.locator("article.md-content__inner table tbody tr").count()
    assert articles > 2  # more than one shard of two
    field = page.locator(".briefing-fulltext input")
    field.fill("language")
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(rf"^{articles} results? for language$"))
    links = page.locator(".pagefind-ui__result-link")
    expect(links).to_have_count(min(articles, 5))  # every shown result drawn (five a page)
    target = links.first.get_attribute("href")
    assert re.match(re.escape(urlparse(reader.base).path) + r"articles/[^/]+/$", target), target
    reader.screenshot("full-text-search")
    reader.click(page.locator(f".pagefind-ui__result-link[href='{target}']"))
    reader.wait_for_path(target.lstrip("/"))
    expect(page.locator(H1)).to_be_visible()
    reader.assert_clean()


def test_mention_link_lands_on_the_cited_paragraph(reader):
    page = reader.open(KURSK)
    reader.screenshot("region")
    mentions = page.locator("h2#mentions ~ ul > li")
    assert mentions.count() > 0, "the region page lists its mentions"
    for index in (0, mentions.count() - 1):  # the first and the last mention
        page.goto(reader.url(KURSK))
        item = mentions.nth(index)
        surface = " ".join(item.locator("strong").first.inner_text().split())
        citation = item.locator("a", has_text="¶")
        href = citation.get_attribute("href")
        assert re.search(r"articles/[^/]+/#p\d+$", href), href
        reader.click(citation)
        page.wait_for_url(re.compile(r"/articles/[^/]+/#p\d+$"))
        target = _anchor_target(page)
        expect(target).to_have_class(re.compile(r"\bbriefing-block\b"))
        expect(target).to_be_in_viewport()
        text = " ".join(target.inner_text().split())
        assert surface.casefold() in text.casefold(), (surface, text)
    reader.assert_clean()


def test_matrix_page_shows_its_columns_and_every_source_link_works(reader):
    page = reader.open(MATRIX)
    expect(page.locator(H1)).to_have_text(_heading("United States vs Russia"))
    matrix = page.locator(".briefing-matrix table")
    headers = [" ".join(h.split()) for h in matrix.locator("thead th").all_inner_texts()]
    assert headers[0] == "Topic" and "United States" in headers and "Russia" in headers, headers
    cells = matrix.locator("tbody td")
    assert cells.count() > 0
    reader.screenshot("matrix")
    sources = matrix.locator("tbody td a[href*='#p']")
    hrefs = sorted({a for a in sources.evaluate_all("links => links.map(a => a.href)")})
    assert hrefs, "matrix cells link their sources"
    # Every row has a wording for each side, each with its source.
    for row in matrix.locator("tbody tr").all():
        for cell in row.locator("td").all()[1:]:
            if cell.inner_text().strip() not in ("–", ""):
                assert cell.locator("a[href*='#p']").count() > 0, cell.inner_text()
    # A reader follows one citation by clicking it...
    reader.click(sources.first)
    page.wait_for_url(re.compile(r"/articles/[^/]+/#p\d+$"))
    expect(_anchor_target(page)).to_be_in_viewport()
    # ...and every other citation resolves to an existing paragraph.
    for href in hrefs:
        page.goto(href)
        assert urldefrag(page.url).url == urldefrag(href).url
        target = _anchor_target(page)
        expect(target).to_have_class(re.compile(r"\bbriefing-block\b"))
    reader.assert_clean()


def test_navigation_reaches_every_section_index(reader):
    page = reader.open(KURSK)  # start away from home, so every tab is a move
    page.evaluate("() => { window.__briefingSamePage = true; }")
    for label, (path, title) in SECTIONS.items():
        tab = page.locator("nav.md-tabs a.md-tabs__link", has_text=re.compile(f"^\\s*{label}\\s*$"))
        expect(tab).to_have_count(1)
        reader.click(tab)
        reader.wait_for_path(path)
        expect(page.locator(H1)).to_have_text(_heading(title))
        expect(page.locator("article.md-content__inner a:not(.headerlink):visible").first).to_be_visible()
        expect(page.locator("nav.md-tabs li.md-tabs__item--active")).to_have_text(re.compile(f"^\\s*{label}\\s*$"))
    # instant navigation: the page was never reloaded, only its content swapped
    assert page.evaluate("() => window.__briefingSamePage === true")
    reader.assert_clean()


RAW_MARKDOWN = [  # what a reader sees when Markdown was not rendered
    re.compile(r"\|\s*-{3,}:?\s*\|"),  # a table's delimiter row shown as text
    re.compile(r"[”\"]>\s+—"),  # a blockquote's '>' glued to the end of the quote
]


def test_pages_show_no_raw_markdown(reader):
    page = reader.page
    shown = []
    for path in ("", KURSK, ZELENSKY, MATRIX, "figures/", "quotes/"):
        reader.open(path)
        text = page.locator("article.md-content__inner").inner_text()
        shown += [f"{path or 'home'}: {m.group(0)!r}" for p in RAW_MARKDOWN for m in p.finditer(text)]
    assert shown == [], shown


def test_long_pages_have_a_table_of_contents(reader):
    page = reader.open(KURSK)
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    expect(toc).to_be_visible()
    expect(toc.locator("a", has_text="Mentions")).to_be_visible()
    reader.click(toc.locator("a", has_text="Mentions"))
    expect(page.locator("h2#mentions")).to_be_in_viewport()
    reader.assert_clean()


def test_dark_and_light_palettes(reader):
    """The reader's system preference picks the palette; the header toggle switches it."""
    page = reader.page
    page.emulate_media(color_scheme="dark")
    reader.open()
    body = page.locator("body")
    toggle = page.locator("form[data-md-component='palette'] label:not([hidden])")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    reader.screenshot("home-dark")
    expect(toggle).to_have_count(1)
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    # the choice survives navigating to another page
    page.locator("nav.md-tabs a.md-tabs__link", has_text="Regions").click()
    reader.wait_for_path("regions/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.emulate_media(color_scheme="light")
    reader.assert_clean()


def test_phone_reader_scrolls_the_matrix_not_the_page(reader):
    page = reader.page
    page.set_viewport_size(PHONE)
    reader.open(MATRIX)
    matrix = page.locator(".briefing-matrix table")
    expect(matrix).to_be_visible()
    reader.screenshot("matrix-390")
    reader.screenshot("matrix-390-full", full_page=True)
    # The page itself never scrolls sideways...
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], page_width
    # ...the wide matrix scrolls inside its own box instead.
    box = matrix.evaluate_handle(
        "t => { let e = t.parentElement; while (e && getComputedStyle(e).overflowX !== 'auto'"
        " && getComputedStyle(e).overflowX !== 'scroll') e = e.parentElement; return e; }")
    assert box.evaluate("e => e !== null"), "the matrix sits in a box that scrolls sideways"
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the matrix is wider than a phone"
    assert box.evaluate("e => e.clientWidth <= window.innerWidth")
    # Body text wraps inside the screen and stays a readable size.
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
    assert size >= 14, size
    # No other page scrolls sideways on a phone either.
    for path in ("", KURSK, ZELENSKY, "articles/", "articles/" + _first_article(page), "figures/", "quotes/"):
        reader.open(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    reader.assert_clean()


def _first_article(page) -> str:
    """The id of an article linked from the page (the matrix page cites several)."""
    href = page.locator("article.md-content__inner a[href*='/articles/']").first.get_attribute("href")
    return re.search(r"articles/([^/#]+)/", href).group(1) + "/"


def test_phone_reader_reaches_the_sections_through_the_menu(reader):
    page = reader.page
    page.set_viewport_size(PHONE)
    reader.open()
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator("nav.md-nav--primary")
    regions = drawer.get_by_role("link", name="Regions", exact=True)
    expect(regions).to_be_visible()
    regions.click()
    reader.wait_for_path("regions/")
    expect(page.locator(H1)).to_be_visible()
    reader.assert_clean()
