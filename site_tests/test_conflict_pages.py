"""Each quantity the sources disagree on has a page with every claim; the lists link to it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checking import load_site
from generator import cli
from generator.conflicts import conflict_ids
from generator.planning import entity_path

from conftest import FIXTURES, SAMPLE_CONTENT


@pytest.fixture(scope="module")
def sample():
    return load_site(SAMPLE_CONTENT)[0]


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("conflicts") / "docs"
    assert cli.main(["generate", "--content", str(SAMPLE_CONTENT), "--docs-dir", str(out), "--no-cache"]) == 0
    return out


def test_conflict_ids_name_the_quantity_and_a_taken_id_gets_a_number():
    keys = [("troops", "losses", None, "russia", "kursk-oblast", None),
            ("troops", None, "day", "russia", None, "6 months"),
            ("troops", "losses", None, "russia", "kursk oblast", None)]  # the same slug as the first
    assert conflict_ids(keys) == {keys[0]: "troops-losses-russia-kursk-oblast-2",
                                  keys[1]: "troops-per-day-over-6-months-russia",
                                  keys[2]: "troops-losses-russia-kursk-oblast"}  # key order: " " sorts before "-"
    assert conflict_ids(reversed(keys)) == conflict_ids(keys)


def test_the_war_fixture_conflict_has_its_id(war):
    (conflict,) = war.conflicts
    assert conflict.id == "troops-azerbaijan-lachin"


def test_each_conflict_page_has_every_claim_lowest_first_with_its_paragraph(sample, docs):
    assert sample.conflicts
    for c in sample.conflicts:
        page = (docs / f"figures/conflicts/{c.id}.md").read_text("utf-8")
        assert f"# Conflicting figures: {c.topic}\n" in page
        rows = re.findall(r"^\| (.+?) \| ([\d,.]+) \| ([\d-]*) \| \[.+?\]\(\.\./\.\./articles/([^.]+)\.md#p(\d+)\) \|$",
                          page, re.M)
        expected = sorted(c.claims, key=lambda f: (f.value, f.article))
        assert [(text, article) for text, _, _, article, _ in rows] == [(f.text, f.article) for f in expected]
        assert [int(p) for *_, p in rows] == [f.block + 1 for f in expected]
        assert [d for _, _, d, _, _ in rows] == [sample.article(f.article).meta.date or "" for f in expected]
        assert "search:\n  exclude: true" in page


def test_lists_link_each_conflict_page_with_its_claims_and_range(sample, docs):
    figures = (docs / "figures.md").read_text("utf-8")
    home = (docs / "index.md").read_text("utf-8")
    for c in sample.conflicts:
        values = sorted(f.value for f in c.claims)
        row = f"| {len(c.claims)} | {values[0]:,} – {values[-1]:,} |"
        assert f"](figures/conflicts/{c.id}.md) {row}" in figures
        assert f"](figures/conflicts/{c.id}.md) {row}" in home
        for entity in (c.actor, c.region):
            page = (docs / entity_path(sample.entity(entity).type, entity)).read_text("utf-8")
            assert f"](../figures/conflicts/{c.id}.md) {row}" in page


def test_claims_are_sorted_by_value_not_by_article(tmp_path):
    content = FIXTURES / "extraction" / "syndication"  # "34 drones" (second-outlet), "28 drones" (wire-original)
    assert cli.main(["generate", "--content", str(content), "--docs-dir", str(tmp_path / "docs"), "--no-cache"]) == 0
    (page,) = (tmp_path / "docs/figures/conflicts").glob("*.md")
    text = page.read_text("utf-8")
    assert text.index("| 28 drones | 28 |") < text.index("| 34 drones | 34 |")
    assert "2 claims in 2 articles, from 28 to 34, lowest first." in text


def test_home_shows_the_conflicts_with_the_most_claims_in_page_order(monkeypatch):
    from types import SimpleNamespace

    from generator import views
    monkeypatch.setattr(views, "TOP_SHOWN", 2)
    conflicts = [SimpleNamespace(topic=t, claims=(None,) * n) for t, n in (("a", 2), ("b", 3), ("c", 2), ("d", 3))]
    assert [c.topic for c in views._most_disputed(conflicts)] == ["b", "d"]
    monkeypatch.setattr(views, "TOP_SHOWN", 3)
    assert [c.topic for c in views._most_disputed(conflicts)] == ["a", "b", "d"]  # ties: the earlier first
