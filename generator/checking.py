"""Checking: everything `briefing check` validates, gathered without stopping at the first."""
from __future__ import annotations

from pathlib import Path

from .corpus import load_corpus
from .errors import BriefingError, Diagnostic, sorted_diagnostics
from .model import Corpus


def check_all(content_dir: Path) -> tuple[Corpus | None, list[Diagnostic]]:
    """The corpus (None when it cannot be built) and every problem found, sorted."""
    try:
        corpus = load_corpus(Path(content_dir))
    except BriefingError as err:
        return None, sorted_diagnostics(err.diagnostics)
    return corpus, sorted_diagnostics(corpus.warnings)
