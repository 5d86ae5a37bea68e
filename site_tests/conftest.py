"""Shared helpers for the corpus-model tests (issue 2).

Every test builds its own small content folder: either a fixture folder under
``site_tests/fixtures/<case>/`` or files written to ``tmp_path`` by :func:`write_content`.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, planning
from generator.corpus import load_corpus
from generator.gazetteer import load_gazetteer
from generator.linking import Linker
from generator.model import Article, Corpus

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SAMPLE_CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
SCORE = SHARED / "score" / "score.py"
GOLD = SHARED / "score" / "gold" / "seeds_gold_public.json"


def require_shared(corpus: Path = SHARED_CORPUS) -> None:
    """Skip when ../shared (corpus, scorer, gold) is not here; fail instead when CI is set."""
    missing = [p for p in (corpus, SCORE, GOLD) if not p.exists()]
    if missing:
        message = f"missing: {', '.join(str(p) for p in missing)}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


def score_export(export: Path) -> dict:
    """The public gold's scorer run on an export, as its --json output."""
    done = subprocess.run([sys.executable, str(SCORE), str(export), str(GOLD), "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write_content(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root`` and return ``root``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    return root


def build(root: Path, files: dict[str, str | bytes]) -> Corpus:
    """A corpus from the given files (written into ``root``)."""
    return load_corpus(write_content(root, files))


def only_article(corpus: Corpus) -> Article:
    assert len(corpus.articles) == 1, [a.id for a in corpus.articles]
    return corpus.articles[0]


def numbered(text: str) -> list[tuple[int, str]]:
    """Lines of ``text`` numbered from 1, as reading hands them to structure."""
    return list(enumerate(text.split("\n"), start=1))


def folder_digest(root: Path) -> str:
    """One hash over every path, file content and directory under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``briefing <argv>`` run in-process."""
    capsys.readouterr()
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def mentions_of(corpus: Corpus, article_id: str | None = None) -> dict[str, list[str]]:
    """{entity id: [surface, ...]} of the corpus or one article."""
    found: dict[str, list[str]] = {}
    for m in corpus.mentions:
        if article_id is None or m.article == article_id:
            found.setdefault(m.entity, []).append(m.surface)
    return found


def _paging(monkeypatch, latest: int, per_page: int) -> None:
    monkeypatch.setattr(planning, "LATEST_SHOWN", latest)
    monkeypatch.setattr(planning, "CHUNK_ARTICLES", per_page)


@pytest.fixture
def paged(monkeypatch):
    """Archive pages on the small sample: the latest 2 articles shown, pages of 3 articles."""
    _paging(monkeypatch, 2, 3)


@pytest.fixture
def one_per_page(monkeypatch):
    """The latest article shown, one article an archive page: the sample's matrices get archive
    pages (United States vs Russia, with tables in two articles, two of them)."""
    _paging(monkeypatch, 1, 1)


@pytest.fixture(scope="session")
def linker() -> Linker:
    """The linker over the shipped gazetteer alone."""
    entities, problems = load_gazetteer(None)
    assert problems == []
    return Linker(entities)


def linked(linker: Linker, text: str, context: str | None = None) -> list[tuple[str, str]]:
    """[(surface, entity id)] found in ``text``; the text is its own context by default."""
    return [(m.surface, m.entity) for m in linker.find(text, text if context is None else context)]


@pytest.fixture(scope="session")
def war() -> Corpus:
    """The extraction fixtures' war corpus, read once (the model is frozen, so tests may share it)."""
    return load_corpus(FIXTURES / "extraction" / "war")
