"""Golden files: the rendered Markdown of the bundled sample, page by page.

After an intended change, refresh them with
    BRIEFING_UPDATE_GOLDEN=1 python3 -m pytest site_tests/test_golden.py
and review the diff.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitebuild import ROOT, briefing

GOLDEN = Path(__file__).parent / "golden"


def test_rendered_pages_match_golden_files(tmp_path):
    docs = tmp_path / "docs"
    result = briefing("generate", "--content", str(ROOT / "content"), "--docs-dir", str(docs))
    assert result.returncode == 0, result.stderr
    rendered = {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in docs.rglob("*.md")}
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in rendered.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, "utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text("utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(rendered) == sorted(golden), "pages added or removed: refresh the golden files"
    for rel in sorted(rendered):
        assert rendered[rel] == golden[rel], f"{rel} differs from its golden file"
