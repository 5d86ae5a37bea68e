"""Helpers for the site tests: generate and build a content folder into a temporary place."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


def briefing(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env)


def build(content: Path, out: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """`briefing build` of ``content`` into out/docs and out/site."""
    args = ["build", "--content", str(content), "--docs-dir", str(out / "docs"), "--site-dir", str(out / "site")]
    return briefing(*args, *(["--strict"] if strict else []))


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


def parse_html(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text("utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal link (and #anchor) in the built site that does not resolve."""
    pages = {p: parse_html(p) for p in site.rglob("*.html") if p.name != "404.html"}  # 404 links from the site root
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("//"):
                continue
            target_part, _, anchor = link.partition("#")
            target = (page.parent / target_part).resolve() if target_part else page
            if target.is_dir():
                target = target / "index.html"
            if target not in pages:
                if not target.exists():
                    broken.append(f"{page.relative_to(site)}: {link}")
                continue
            if anchor and anchor not in pages[target].ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    return broken
