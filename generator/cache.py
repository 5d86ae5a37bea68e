"""The analysis cache: what reading and analysing one article yields, kept between runs (and,
through ``generator/page_cache.py``, what building each MkDocs page yielded).

Entries are pickles in ``.briefing-cache/`` of the working directory (``BRIEFING_CACHE_DIR``
overrides it), never under the content folder. Every key is a hash of everything the entry was
computed from: the article's bytes and path, the boilerplate patterns, the entities it was linked
against, and the code itself (every file of the ``generator`` package, its data included), so an
entry can never be used for anything but exactly the input it came from. The folder is safe to
delete at any time; an unreadable entry is a miss. Entries no run has used for
``KEEP_UNUSED_DAYS`` days are removed by ``prune``.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import threading
import time
from functools import lru_cache
from pathlib import Path

DEFAULT_DIR = ".briefing-cache"
ENV = "BRIEFING_CACHE_DIR"
KEEP_UNUSED_DAYS = 14
_TOUCH_AFTER = 24 * 3600  # refresh an entry's time stamp (marking it used) at most once a day
# A cache directory tag (bford.info/cachedir): backup tools skip the folder. No .md or .txt file
# is ever written here, so a cache put inside a content folder is never read as an article.
TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
       "# briefing's cache of per-article analysis (generator/cache.py): safe to delete at any time.\n")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's own files: any change to the code or its data empties the cache."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json", ".md") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def key(*parts: object) -> str:
    """A cache key from strings, bytes and reprs, always including the code version."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Cache:
    """A folder of pickled entries, one file per key, grouped by kind."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder or os.environ.get(ENV) or DEFAULT_DIR)
        self._root = str(self.folder)
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _name(self, kind: str, entry: str) -> str:
        """The entry's file name as a string: a warm run looks up two entries per article."""
        return os.path.join(self._root, kind, entry[:2], entry + ".pickle")

    def get_bytes(self, kind: str, entry: str) -> bytes | None:
        path = self._name(kind, entry)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        self._touch(path)
        return data

    def get(self, kind: str, entry: str):
        """The stored value, or None when there is none or it cannot be read."""
        data = self.get_bytes(kind, entry)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a damaged or foreign entry is a miss
            self.hits -= 1
            self.misses += 1
            return None

    def put_bytes(self, kind: str, entry: str, data: bytes) -> None:
        """Store an entry atomically: written under a name of this process and thread, then
        renamed. Its folder is made only when opening fails for the want of it (a cold run
        writes two entries an article: no ``mkstemp`` name search, no ``mkdir`` each)."""
        path = self._name(kind, entry)
        tmp = f"{os.path.dirname(path)}{os.sep}.tmp-{os.getpid()}-{threading.get_ident()}-{entry}"
        try:
            self._prepare()
            try:
                handle = open(tmp, "wb")
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                handle = open(tmp, "wb")
            with handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written only makes the next run slower
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def put(self, kind: str, entry: str, value) -> bytes:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.put_bytes(kind, entry, data)
        return data

    def _prepare(self) -> None:
        if not self._ready:
            self.folder.mkdir(parents=True, exist_ok=True)
            tag = self.folder / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(TAG, "utf-8")
            self._ready = True

    @staticmethod
    def _touch(path: str) -> None:
        try:
            if time.time() - os.stat(path).st_mtime > _TOUCH_AFTER:
                os.utime(path)
        except OSError:
            pass

    def prune_daily(self) -> int:
        """``prune``, at most once a day (it lists every entry)."""
        stamp = self.folder / ".pruned"
        try:
            if stamp.exists() and time.time() - stamp.stat().st_mtime < _TOUCH_AFTER:
                return 0
            removed = self.prune()
            self._prepare()
            stamp.write_text("last pruned\n", "utf-8")
            return removed
        except OSError:
            return 0

    def prune(self, days: float = KEEP_UNUSED_DAYS) -> int:
        """Delete entries no run has used for ``days`` days; returns how many."""
        if not self.folder.is_dir():
            return 0
        limit = time.time() - days * 24 * 3600
        removed = 0
        for path in self.folder.glob("*/*/*.pickle"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
        return removed
