"""MkDocs' link rewriting with each link target of a page looked up once.

MkDocs makes every link of a page relative to it (``_RelativePathTreeprocessor.path_to_url``):
it splits the URL, finds the target among the site's files (a ``PurePath`` per lookup) and
computes the relative path, for every link. A generated page links the same few pages again and
again: an archive page has one link per mention, to the paragraph of one of its 25 articles.
``LinkMemo`` runs just before MkDocs' link rewriting and gives that page's rewriter a memory of
the targets it found: a link whose path was seen on the page before is rewritten from it, with
the anchor registered as MkDocs registers it. Only a path that MkDocs resolves to a page without
a word is remembered; a missing or excluded target goes through MkDocs' own code every time,
so every warning is logged as often as MkDocs logs it. The first lookup of each path still goes
through ``files.get_file_from_path``, where the page cache (``generator.page_cache``) records it.

Used by the workers of ``generator.mkdocs_parallel`` (MkDocs 1.6 only, as the rest of it);
``site_tests/test_fast_links.py`` compares it with MkDocs' own rewriting.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from markdown import treeprocessors
from markdown.util import AMP_SUBSTITUTE
from mkdocs import utils
from mkdocs.structure.pages import _RelativePathTreeprocessor

RELPATH = "relpath"  # the name MkDocs registers its link rewriter under


class LinkMemo(treeprocessors.Treeprocessor):
    """Before MkDocs' link rewriter runs on a page, give it a memory of the targets it finds."""

    def run(self, root):
        rewriter = self.md.treeprocessors[RELPATH] if RELPATH in self.md.treeprocessors else None
        if type(rewriter) is _RelativePathTreeprocessor:  # made for this page: the memory is the page's
            rewriter.path_to_url = remembering(rewriter)
        return None


def install(md) -> None:
    """Run ``LinkMemo`` on ``md``'s pages just before MkDocs' link rewriter (priority 0)."""
    md.treeprocessors.register(LinkMemo(md), "briefing_link_memo", 0.5)


def remembering(rewriter: _RelativePathTreeprocessor):
    """``rewriter.path_to_url`` with a memory of the targets of the relative links it resolved."""
    own = rewriter.path_to_url
    found: dict[str, tuple | None] = {}

    def path_to_url(url: str) -> str:
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url:
            return own(url)  # external, absolute, e-mail or same-page links: MkDocs' own cases
        if path not in found:
            found[path] = _target(rewriter, path)
        target = found[path]
        if target is None:
            return own(url)  # MkDocs warns (missing or excluded target), as often as it occurs
        target_file, relative = target
        if anchor:
            rewriter.links_to_anchors.setdefault(target_file, {}).setdefault(anchor, url)
        return urlunsplit(("", "", relative, query, anchor))

    return path_to_url


def _target(rewriter: _RelativePathTreeprocessor, path: str) -> tuple | None:
    """(the file a relative link's path leads to, its URL relative to the page) as MkDocs
    finds them, or None when MkDocs would warn about the link."""
    target_uri = rewriter._target_uri(rewriter.file.src_uri, unquote(path))
    target_file = rewriter.files.get_file_from_path(target_uri)
    if target_file is None or target_file.inclusion.is_excluded():
        return None
    return target_file, utils.get_relative_url(target_file.url, rewriter.file.url)
