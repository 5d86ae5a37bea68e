"""The analysis cache and the worker processes: behaviour, never timing.

A corpus read from the cache, analysed by forked workers, or analysed here in one process is
the same corpus; the cache lives outside the content folder, follows BRIEFING_CACHE_DIR, can
be deleted or damaged at any time, and never serves an entry for other input.
"""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, folder_digest, run_cli, write_content
from generator import corpus as corpus_module
from generator import parallel
from generator.cache import Cache, key
from generator.corpus import load_corpus, settings
from generator.errors import BriefingError


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, target)
    return target


def test_cached_and_parallel_corpus_equals_the_plain_one(content, tmp_path, monkeypatch):
    plain = load_corpus(content)
    with settings(cache=Cache(tmp_path / "cache"), jobs=1) as run:
        cold = load_corpus(content)
    assert run.stats["cache_misses"] > 0 and run.stats["cache_hits"] == 0
    with settings(cache=Cache(tmp_path / "cache"), jobs=1) as run:
        warm = load_corpus(content)
    assert run.stats["cache_misses"] == 0 and run.stats["cache_hits"] > 0
    if parallel.can_fork():
        monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
        with settings(cache=Cache(tmp_path / "other"), jobs=2):
            forked = load_corpus(content)
        with settings(jobs=2):
            forked_uncached = load_corpus(content)
        assert forked == plain and forked_uncached == plain
    assert cold == plain and warm == plain


def test_an_edit_misses_only_that_article(content, tmp_path):
    cache = tmp_path / "cache"
    with settings(cache=Cache(cache)):
        load_corpus(content)
    article = content / "articles" / "2025-01-kursk-pressure.md"
    article.write_text(article.read_text("utf-8").replace("Key Points", "Key Points\n\nA new line names Kharkiv.", 1), "utf-8")
    with settings(cache=Cache(cache)) as run:
        edited = load_corpus(content)
    assert run.stats["cache_misses"] == 2  # that article's reading and its analysis
    assert edited == load_corpus(content)


def test_a_cached_reading_without_its_analysis_reads_the_file_again(content, tmp_path):
    """The cache keeps a reading without the article's lines; when the analysis is missing
    (deleted, or made by other code), the file is read again and analysed: the same corpus."""
    cache = tmp_path / "cache"
    with settings(cache=Cache(cache)):
        plain = load_corpus(content)
    shutil.rmtree(cache / "analysis")
    with settings(cache=Cache(cache)) as run:
        again = load_corpus(content)
    articles = len(plain.articles)
    assert run.stats["cache_hits"] == articles + 1 and run.stats["cache_misses"] == articles  # readings + gazetteer hit
    assert again == plain


def test_a_file_that_changes_between_hashing_and_rereading_is_an_error(content, tmp_path):
    article = content / "articles" / "2025-01-kursk-pressure.md"
    source = corpus_module._Source("2025-01-kursk-pressure", "articles/2025-01-kursk-pressure.md", article, "0" * 64)
    with pytest.raises(BriefingError) as raised:
        corpus_module._reread(source, {"content_dir": content, "patterns": []})
    assert [str(d) for d in raised.value.diagnostics] == [
        "articles/2025-01-kursk-pressure.md: file changed while it was read; run again"]


def test_new_entities_invalidate_every_analysis(content, tmp_path):
    """An alias added to entities.yaml can link words in every article: nothing stale is used."""
    cache = tmp_path / "cache"
    with settings(cache=Cache(cache)):
        load_corpus(content)
    with (content / "entities.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: kursk-oblast\n  aliases: [Sudzha pocket]\n")
    with settings(cache=Cache(cache)) as run:
        linked = load_corpus(content)
    assert linked == load_corpus(content)
    assert run.stats["cache_misses"] >= len(linked.articles)


def test_damaged_or_deleted_cache_changes_nothing(content, tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(cache))
    docs, clean = tmp_path / "docs", tmp_path / "clean"
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(docs)], capsys)[0] == 0
    entries = list(cache.rglob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(docs)], capsys)[0] == 0
    shutil.rmtree(cache)
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(docs)], capsys)[0] == 0
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(clean), "--no-cache"], capsys)[0] == 0
    assert folder_digest(docs) == folder_digest(clean)


def test_cache_folder_default_and_override(content, tmp_path, capsys, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("BRIEFING_CACHE_DIR", raising=False)
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(tmp_path / "d1")], capsys)[0] == 0
    assert list((work / ".briefing-cache").rglob("*.pickle"))
    assert not any(p.name == ".briefing-cache" or p.suffix == ".pickle" for p in content.rglob("*"))
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(tmp_path / "d2")], capsys)[0] == 0
    assert list((tmp_path / "elsewhere").rglob("*.pickle"))
    monkeypatch.delenv("BRIEFING_CACHE_DIR")
    shutil.rmtree(work / ".briefing-cache")
    assert run_cli(["generate", "--content", str(content), "--docs-dir", str(tmp_path / "d3"), "--no-cache"], capsys)[0] == 0
    assert not (work / ".briefing-cache").exists()


def test_keys_depend_on_every_part_and_on_the_code():
    assert key("a", "b") != key("ab")
    assert key("a", "b") != key("a", "c")
    assert key("a", b"b") == key("a", "b")
    assert len({key("x", n) for n in range(100)}) == 100


def test_the_same_bytes_under_another_name_are_another_entry(tmp_path):
    root = write_content(tmp_path / "c", {"one.txt": "Kyiv said so on Monday.\n", "two.txt": "Kyiv said so on Monday.\n"})
    with settings(cache=Cache(tmp_path / "cache")) as run:
        corpus = load_corpus(root)
    assert sorted(a.id for a in corpus.articles) == ["one", "two"]
    assert run.stats["cache_hits"] == 0


def test_prune_removes_only_entries_unused_for_long(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put("analysis", key("old"), 1)
    cache.put("analysis", key("new"), 2)
    old = next(p for p in (tmp_path / "cache").rglob("*.pickle") if p.stem == key("old"))
    os.utime(old, (1_000_000, 1_000_000))
    assert cache.prune() == 1
    assert cache.get("analysis", key("new")) == 2 and cache.get("analysis", key("old")) is None


def test_worker_errors_reach_the_caller(tmp_path, monkeypatch):
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)

    def fails(i):
        if i == 3:
            raise ValueError("article 3 is broken")
        return i * 2
    with pytest.raises(ValueError, match="article 3"):
        parallel.pmap(fails, list(range(8)), workers=2)
    assert parallel.pmap(lambda i: i * 2, list(range(8)), workers=2) == [i * 2 for i in range(8)]


def test_settings_do_not_leak(tmp_path):
    with settings(cache=Cache(tmp_path / "cache")) as run:
        run.stats["x"] = 1
    assert corpus_module._SETTINGS.cache is None and "x" not in corpus_module._SETTINGS.stats


def test_parallel_jobs_follow_the_environment(monkeypatch):
    monkeypatch.setenv("BRIEFING_JOBS", "3")
    assert parallel.jobs() == 3
    monkeypatch.setenv("BRIEFING_JOBS", "nonsense")
    assert parallel.jobs() >= 1


def test_cache_entries_are_written_atomically(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put("read", key("x"), {"a": 1})
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_an_entry_is_stored_after_its_folder_was_deleted(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put("read", key("x"), 1)
    shutil.rmtree(tmp_path / "cache")
    cache.put("read", key("x"), 2)
    assert cache.get("read", key("x")) == 2
    assert not [p for p in (tmp_path / "cache").rglob(".tmp-*")]


def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path):
    (tmp_path / "cache").write_text("a file where the folder should be")
    cache = Cache(tmp_path / "cache")
    cache.put("read", key("x"), 1)
    assert cache.get("read", key("x")) is None


def test_a_cache_inside_the_content_folder_is_never_read_as_articles(content, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(content / "cache"))
    docs = tmp_path / "docs"
    for _ in range(2):
        status, out, err = run_cli(["generate", "--content", str(content), "--docs-dir", str(docs)], capsys)
        assert status == 0, err
    assert not any(p.suffix in (".md", ".txt") for p in (content / "cache").rglob("*"))
    assert len(list((docs / "articles").glob("*.md"))) == len(list((content / "articles").rglob("*.*"))) + 1


def test_prune_runs_at_most_once_a_day(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put("analysis", key("old"), 1)
    old = next((tmp_path / "cache").rglob("*.pickle"))
    os.utime(old, (1_000_000, 1_000_000))
    assert cache.prune_daily() == 1
    cache.put("analysis", key("old"), 1)
    os.utime(next((tmp_path / "cache").rglob("*.pickle")), (1_000_000, 1_000_000))
    assert cache.prune_daily() == 0  # pruned less than a day ago


def test_records_of_a_cached_analysis_come_back_equal_and_without_instance_dicts():
    """Mentions, sentences, blocks, figures and quotes are named tuples pickled as their class
    and values (generator.model.record): a corpus read back from the cache equals the one
    analysed, record for record, each of its own class."""
    corpus = load_corpus(SAMPLE_CONTENT)
    kinds = {"mentions": corpus.mentions, "figures": corpus.figures, "quotes": corpus.quotes,
             "blocks": [b for a in corpus.articles for b in a.blocks],
             "sentences": [s for a in corpus.articles for s in a.sentences]}
    for name, records in kinds.items():
        assert records, name
        assert not hasattr(records[0], "__dict__"), name
        back = pickle.loads(pickle.dumps(tuple(records), protocol=pickle.HIGHEST_PROTOCOL))
        assert back == tuple(records), name
        assert [type(r) for r in back] == [type(r) for r in records], name
    assert pickle.loads(pickle.dumps(corpus)) == corpus
