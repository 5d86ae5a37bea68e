"""Checking: everything `briefing check` validates, gathered without stopping at the first.

``load_site`` is what generate and build use: the corpus and the editors' overrides, or a
BriefingError carrying every problem when anything is wrong.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from .corpus import load_corpus
from .errors import BriefingError, Diagnostic, sorted_diagnostics
from .model import Corpus
from .overrides import Overrides, load_overrides, validate
from .planning import plan_pages


def check_all(content_dir: Path) -> tuple[Corpus | None, Overrides | None, list[Diagnostic]]:
    """The corpus and overrides (None when they cannot be built) and every problem, sorted."""
    content_dir = Path(content_dir)
    overrides, problems = load_overrides(content_dir) if content_dir.is_dir() else (Overrides(), [])
    try:
        corpus = load_corpus(content_dir, overrides.merge_topics(), overrides.split_topics())
    except BriefingError as err:
        return None, None, sorted_diagnostics(problems + list(err.diagnostics))
    problems += validate(overrides, corpus)
    try:
        plan_pages(corpus)  # two pages claiming one path: found by check as by build
    except BriefingError as err:
        problems += err.diagnostics
    return corpus, overrides, sorted_diagnostics(problems + list(corpus.warnings))


def load_site(content_dir: Path) -> tuple[Corpus, Overrides]:
    """The corpus (its ``warnings`` now including the overrides' warnings) and the overrides."""
    corpus, overrides, diagnostics = check_all(content_dir)
    if corpus is None or overrides is None or any(d.severity == "error" for d in diagnostics):
        raise BriefingError(diagnostics)
    return replace(corpus, warnings=tuple(d for d in diagnostics if d.severity == "warning")), overrides


def source_date_epoch(corpus: Corpus) -> str:
    """The newest article date (midnight UTC) in seconds since 1970, "0" when no article is dated.

    MkDocs writes its build date into sitemap.xml (``<lastmod>``, when ``site_url`` is set) and
    into the header of sitemap.xml.gz; given as SOURCE_DATE_EPOCH it uses this date instead, so
    two builds of the same content are byte-identical whatever the day."""
    dates = [a.meta.date for a in corpus.articles if a.meta.date]
    if not dates:
        return "0"
    newest = dt.datetime.combine(dt.date.fromisoformat(max(dates)), dt.time(), dt.timezone.utc)
    return str(int(newest.timestamp()))
