"""Files of the site a build replaces, hard-linked into the new one instead of written again.

``briefing build`` writes a new folder and swaps it for the site only when the build succeeds
(a failed build leaves the previous site in place). A rebuild after a commit reuses most pages
from the cache, and used to write every one of them again (1.4 GB in 50,000 files at 10,000
articles), then delete the previous site's copy. So the cache also remembers, for the site
folder a build replaces, which cache entry each of its files was written from (a page's build,
a full-text index shard) and the file's identity (device, inode, size, modification time). A
file to be written from the same entry, whose file in that site is still the one written
then, is hard-linked instead: the same bytes, no copy. A file changed or replaced by hand has
another identity and is written again; a link that cannot be made (another file system) is a
write. Nothing writes to a file of the new folder once it is there, so the two sites sharing
a file never see each other's changes.
"""
from __future__ import annotations

import marshal
import os

from .cache import Cache, key

KIND = "site-files"
FORMAT = 1


def identity(path: str) -> tuple | None:
    """What tells a file from another one put in its place: device, inode, size, modification
    time (not the change time: linking and unlinking a name change it)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class EarlierSite:
    """The site folder a build replaces, as one part of the build (``part``: "pages",
    "full-text"…) left it: {site-relative path: (cache entry it was written from, identity)},
    kept in the cache under the folder's path when that build succeeded."""

    def __init__(self, cache: Cache, folder: str | os.PathLike, part: str):
        self.cache = cache
        self.folder = os.path.abspath(folder)
        self._entry = key(KIND, FORMAT, part, self.folder)
        self.files = self._load()

    def _load(self) -> dict:
        data = self.cache.get_bytes(KIND, self._entry)
        try:
            stored = marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError):
            stored = None
        return stored if isinstance(stored, dict) else {}

    def link(self, rel: str, entry: str, dest: str) -> bool:
        """Hard-link the earlier site's file ``rel`` to ``dest`` when it was written from
        ``entry`` and is still the same file; False when it cannot (then write it)."""
        earlier = self.files.get(rel)
        if earlier is None or earlier[0] != entry:
            return False
        source = os.path.join(self.folder, rel)
        if identity(source) != tuple(earlier[1]):
            return False
        try:
            os.link(source, dest)
        except OSError:  # another file system, no hard links there, or the name is taken
            return False
        return True

    def is_linked(self, rel: str, written: tuple | None) -> bool:
        """Whether the file written as ``rel`` (its identity) is the earlier site's file."""
        earlier = self.files.get(rel)
        return written is not None and earlier is not None and tuple(earlier[1]) == written

    def remember(self, written: dict) -> None:
        """Keep {site-relative path: (entry, identity)} of the site just built for the next build."""
        self.cache.put_bytes(KIND, self._entry, marshal.dumps(written))
