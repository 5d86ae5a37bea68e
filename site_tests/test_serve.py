"""`briefing serve` as an editor uses it: start it, edit the content, watch the page change;
break an override, read the error in the terminal, and keep reading the last good site.

The server runs as a real subprocess (it starts `mkdocs serve` as a child of its own) on a free
port of 127.0.0.1, over a temporary copy of content/. Waits are bounded so a broken server fails
the test instead of hanging it; nothing measures how fast it is.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitebuild import ROOT

BOUND = 60.0  # seconds: the most any change may take to show (an upper bound, not a measure)
ARTICLE = Path("articles") / "2025-01-kursk-pressure.md"
ARTICLE_PAGE = "articles/2025-01-kursk-pressure/"
REGION_PAGE = "regions/kursk-oblast/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A `briefing serve` subprocess, its output collected as it comes."""

    def __init__(self, content: Path, docs: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--content", str(content), "--docs-dir", str(docs),
             "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True)  # its own process group: mkdocs serve goes with it
        self._readers = [threading.Thread(target=self._collect, args=(stream, sink), daemon=True)
                         for stream, sink in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _collect(stream, sink: list[str]) -> None:
        for line in stream:
            sink.append(line)

    def output(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)

    def get(self, path: str) -> str | None:
        """The page's HTML, or None while the server does not answer."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, what: str, condition) -> object:
        """Poll ``condition()`` until it returns something true, at most BOUND seconds."""
        deadline = time.monotonic() + BOUND
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"briefing serve exited ({self.process.returncode}):\n{self.output()}"
            value = condition()
            if value:
                return value
            time.sleep(0.25)
        pytest.fail(f"{what}: not within {BOUND:.0f} s\n--- server output ---\n{self.output()}")

    def stop(self) -> list[str]:
        """Stop the server with SIGTERM, as a process manager or a closed terminal does, and
        return what of its process group outlived it; then end those too (this group only)."""
        survivors: list[str] = []
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                survivors.append("briefing serve")
        if _group_alive(self.process.pid):
            survivors.append("a child (mkdocs serve)")
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not _group_alive(self.process.pid):
                break
            os.killpg(self.process.pid, sig)
            time.sleep(1)
        self.process.kill() if self.process.poll() is None else None
        self.process.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=5)
        return survivors


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _write(path: Path, text: str) -> None:
    """Write ``text`` so that a watcher polling modification times sees a change."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    if path.stat().st_mtime_ns == before:  # a coarse clock: make the change visible
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_serve_follows_edits_and_survives_a_broken_override(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    server = Served(content, tmp_path / "docs")
    try:
        home = server.wait_for("the site is served", lambda: server.get(""))
        assert "Briefing" in home

        # An article changes: its page shows the new paragraph.
        article = content / ARTICLE
        _write(article, article.read_text("utf-8") + "\nThe quillfeather brigade reported a quiet night near Sudzha.\n")
        server.wait_for("the edited article is served", lambda: "quillfeather brigade" in (server.get(ARTICLE_PAGE) or ""))

        # A summary override changes: the region page shows the editor's new words.
        overrides = content / "overrides" / "regions.yaml"
        _write(overrides, 'kursk-oblast:\n  summary: "Edited live: the salient as the editors see it today."\n')
        page = server.wait_for("the new summary is served",
                               lambda: (html := server.get(REGION_PAGE)) and "Edited live:" in html and html)
        assert "Summary (editor)" in page

        # A broken override: the terminal names file and line; the last good page stays up.
        _write(overrides, 'kursc-oblast:\n  summary: "A typo in the id."\n')
        message = server.wait_for(
            "the broken override is reported",
            lambda: re.search(r"^(\S*overrides/regions\.yaml):1: unknown region 'kursc-oblast'"
                              r" \(did you mean 'kursk-oblast'\?\)$", "".join(server.stderr), re.M))
        named = Path(message.group(1))  # printed relative to the content folder, as `briefing check` does
        assert (content / named).resolve() == overrides.resolve(), message.group(0)
        assert "still serving the last good site" in "".join(server.stderr)
        assert server.process.poll() is None, "the server keeps running"
        kept = server.get(REGION_PAGE)
        assert kept is not None and "Edited live:" in kept, "the last good page is still served"
        assert "A typo in the id." not in kept

        # Fixed again: the server picks up the good override.
        _write(overrides, 'kursk-oblast:\n  summary: "Repaired: the editors fixed the typo."\n')
        server.wait_for("the repaired override is served",
                        lambda: "Repaired: the editors fixed the typo." in (server.get(REGION_PAGE) or ""))
        # Nothing on the way printed a traceback (worker processes once did, each time a pool closed).
        assert "Traceback" not in "".join(server.stderr), server.output()
    finally:
        survivors = server.stop()
    assert survivors == [], "stopping `briefing serve` stops the mkdocs serve it started"
