"""Bytes a reader's browser downloads to answer one search, measured in a real browser.

    python3 benchmarks/search_download.py SITE_DIR [--query Kharkiv]

Serves the built site on 127.0.0.1, opens it in Debian's Chromium (Playwright) and counts
the bytes of every response a search makes the browser fetch, once in each search box:

- the theme's search (Material's, in the header): its index and worker, fetched whole;
- the full-text search of the articles (Pagefind's, on the articles index page): its script,
  styles, WebAssembly, metadata and the index chunks and result fragments the query needs.

Prints one JSON object. Without Playwright or Chromium it falls back to the file sizes: the
whole Material index and worker, and for Pagefind everything but its index chunks and
fragments plus the average chunk size times the query's words (an estimate, marked so).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = os.environ.get("BRIEFING_CHROMIUM", "/usr/bin/chromium")
WAIT_MS = 30_000


def measure(site: Path, query: str = "Kharkiv") -> dict:
    try:
        return _browser(site, query)
    except Exception as err:  # no Playwright, no Chromium: an estimate from the files
        result = _files(site)
        result["method"] = f"file sizes (browser unavailable: {type(err).__name__})"
        return result


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _browser(site: Path, query: str) -> dict:
    from playwright.sync_api import sync_playwright

    server = _serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                material = _material(browser, base, query, site)
                fulltext = _pagefind(browser, base, query, site)
            finally:
                browser.close()
    finally:
        server.shutdown()
    return {"method": "browser", "query": query, "material_bytes": material["bytes"],
            "material_files": material["files"], "fulltext_bytes": fulltext["bytes"],
            "fulltext_files": fulltext["files"], "fulltext_results": fulltext["results"]}


def _track(page, wanted) -> list[str]:
    """The URLs of the responses the page receives that ``wanted`` picks, in order."""
    urls: list[str] = []
    page.on("response", lambda response: urls.append(response.url) if wanted(response.url) else None)
    return urls


def _sizes(site: Path, urls: list[str]) -> dict:
    """Bytes and number of the files fetched. The test server sends each file as it is on disk
    (no compression), so a response's body is its file: counted from the file, not from
    ``response.body()``, which fails when the browser has already let a response go (a worker's
    fetch, a page closed while the body was read) and then undercounted the index."""
    total, files = 0, 0
    for url in dict.fromkeys(urls):  # one download per URL
        rel = unquote(urlsplit(url).path).lstrip("/")
        path = site / rel / "index.html" if not rel or rel.endswith("/") else site / rel
        if path.is_file():
            total += path.stat().st_size
            files += 1
    return {"bytes": total, "files": files}


def _material(browser, base: str, query: str, site: Path) -> dict:
    page = browser.new_page()
    seen = _track(page, lambda url: "/search/" in url or "/workers/search" in url)
    page.goto(base, wait_until="networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query)
    page.locator(".md-search-result__list a.md-search-result__link").first.wait_for(timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    page.close()
    return _sizes(site, seen)


def _pagefind(browser, base: str, query: str, site: Path) -> dict:
    page = browser.new_page()
    seen = _track(page, lambda url: "/pagefind/" in url)
    page.goto(base + "articles/", wait_until="networkidle")
    field = page.locator(".briefing-fulltext input")
    field.wait_for(timeout=WAIT_MS)
    field.fill(query)
    page.locator(".pagefind-ui__result").first.wait_for(timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    results = page.locator(".pagefind-ui__result").count()
    page.close()
    return dict(_sizes(site, seen), results=results)


def _files(site: Path) -> dict:
    index = site / "search" / "search_index.json"
    workers = list((site / "assets" / "javascripts" / "workers").glob("search*.js"))
    material = (index.stat().st_size if index.exists() else 0) + sum(w.stat().st_size for w in workers)
    bundle = site / "pagefind"
    fixed = sum(p.stat().st_size for p in bundle.glob("*") if p.is_file() and not p.name.startswith("pagefind-") or
                p.name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"))
    fragments = [p.stat().st_size for p in (bundle / "fragment").glob("*")] if (bundle / "fragment").is_dir() else []
    total = fixed + 5 * (sum(fragments) / len(fragments) if fragments else 0)
    others = _shards(bundle)  # the first bundle's entry and metadata are in ``fixed``
    total += sum(p.stat().st_size for shard in others for p in shard.glob("*")
                 if p.name == "pagefind-entry.json" or p.suffix == ".pf_meta")
    for shard in [bundle] + others:  # one index chunk from every shard
        chunks = [p.stat().st_size for p in (shard / "index").glob("*")] if (shard / "index").is_dir() else []
        total += sum(chunks) / len(chunks) if chunks else 0
    return {"material_bytes": material, "fulltext_bytes": int(total), "fulltext_estimated": True}


def _shards(bundle: Path) -> list[Path]:
    """The other shards' bundles, from the first bundle's shards.json (generator/search.py)."""
    try:
        listed = json.loads((bundle / "shards.json").read_text("utf-8")).get("bundles", [])
    except (OSError, ValueError):
        return []
    return [bundle / name for name in listed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="Kharkiv")
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.query), indent=2))


if __name__ == "__main__":
    main()
