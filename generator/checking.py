"""Checking: everything `briefing check` validates, gathered without stopping at the first.

``load_site`` is what generate and build use: the corpus and the editors' overrides, or a
BriefingError carrying every problem when anything is wrong.
"""
from __future__ import annotations

from pathlib import Path

from .corpus import load_corpus
from .errors import BriefingError, Diagnostic, sorted_diagnostics
from .model import Corpus
from .overrides import Overrides, load_overrides, validate


def check_all(content_dir: Path) -> tuple[Corpus | None, Overrides | None, list[Diagnostic]]:
    """The corpus and overrides (None when they cannot be built) and every problem, sorted."""
    content_dir = Path(content_dir)
    overrides, problems = load_overrides(content_dir) if content_dir.is_dir() else (Overrides(), [])
    try:
        corpus = load_corpus(content_dir, overrides.merge_topics(), overrides.split_topics())
    except BriefingError as err:
        return None, None, sorted_diagnostics(problems + list(err.diagnostics))
    problems += validate(overrides, corpus)
    return corpus, overrides, sorted_diagnostics(problems + list(corpus.warnings))


def load_site(content_dir: Path) -> tuple[Corpus, Overrides]:
    corpus, overrides, diagnostics = check_all(content_dir)
    if corpus is None or overrides is None or any(d.severity == "error" for d in diagnostics):
        raise BriefingError(diagnostics)
    return corpus, overrides
