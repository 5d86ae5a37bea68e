"""A progress bar on standard error for the long stages of a run.

It appears only when standard error is a terminal (or BRIEFING_PROGRESS=1) and only once a
stage has run for ``DELAY`` seconds, so short runs, tests and logs stay quiet. It redraws at
most ten times a second and clears its line when the stage ends.
"""
from __future__ import annotations

import os
import sys
import time

DELAY = 2.0
WIDTH = 28


def enabled() -> bool:
    wanted = os.environ.get("BRIEFING_PROGRESS")
    if wanted is not None:
        return wanted not in ("", "0")
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, label: str, total: int, show: bool | None = None):
        self.label, self.total, self.done = label, max(total, 0), 0
        self.show = enabled() if show is None else show
        self.started = time.monotonic()
        self._drawn = 0.0
        self._visible = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.show:
            return
        now = time.monotonic()
        if now - self.started < DELAY or (now - self._drawn < 0.1 and self.done < self.total):
            return
        self._drawn = now
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        elapsed = now - self.started
        eta = f", {elapsed / share - elapsed:4.0f} s left" if 0 < share < 1 else ""
        line = f"{self.label:<10} [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done:>7,}/{self.total:,}{eta}"
        sys.stderr.write("\r" + line + "\x1b[K")
        sys.stderr.flush()
        self._visible = True

    def close(self) -> None:
        if self._visible:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._visible = False
