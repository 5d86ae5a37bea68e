"""Python-Markdown's inline passes in one scan, for the pages ``briefing generate`` writes.

Python-Markdown converts the text of each block by trying its inline patterns one after the
other, each a regular-expression scan of the whole text that splices a placeholder into it for
every match: close to half of converting a generated page. In such a page the text holds
only backslash escapes, entities, links with a plain target and ``**bold**`` or ``*em*``
(``generator/escaping.py`` escapes everything else in article text), so
``FastInlineProcessor`` does the escape, link, inline-HTML and entity passes in one
left-to-right scan that stashes the very nodes those passes stash, then pairs plain emphasis
delimiters itself. Text it does not understand (raw HTML other than a plain tag, ``![``, a
``[`` that is not a plain link, a link inside a link, ``_``, ``***``, emphasis around space)
takes Python-Markdown's own path from the start, with the stashes as they were before the
scan: its delimiter rules can cut a placeholder in two and print part of it, and what is
printed then depends on the order things were stashed in.

It does its part only while the inline patterns are exactly ``PATTERNS`` (the workers of
``generator.mkdocs_parallel`` leave out the others, which no generated page can match), so the
tree it gives is the one Python-Markdown gives; ``site_tests/test_fast_inline.py`` compares the
two on many texts, and the benchmark smoke test compares whole sites with ``mkdocs build``'s.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import inlinepatterns, treeprocessors, util

# The inline patterns, in order, that this processor knows: the first four are its one scan,
# the last it does for plain pairs of ``*`` or ``**``.
PATTERNS = ("escape", "link", "html", "entity", "em_strong")
_KINDS = (inlinepatterns.EscapeInlineProcessor, inlinepatterns.LinkInlineProcessor,
          inlinepatterns.HtmlInlineProcessor, inlinepatterns.HtmlInlineProcessor,
          inlinepatterns.DelimiterProcessor)
_DONE_HERE = 4

# One token of the scan: an escape, an entity, a link's (or an image's) opening bracket, the
# end of a link's text, a plain HTML tag (``<small>``, ``</small>``), or any other ``<`` (raw
# HTML that the scan leaves to Python-Markdown).
_TOKEN = re.compile(r"\\(.)|(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)|(!?\[)|(\])|(</?[a-zA-Z][a-zA-Z0-9]*>)|(<)",
                    re.DOTALL)
ESCAPE, ENTITY, BRACKET, CLOSE, TAG = 1, 2, 3, 4, 5
# A link's target that Python-Markdown takes as it is: no title, space, parenthesis or escape.
_PLAIN_TARGET = re.compile(r"\(([^\s()<>\"'\\&\[\]\x02\x03]+)\)")
# Runs of emphasis delimiters, and the space that keeps one from opening or closing.
_DELIMITERS = re.compile(r"[*_]+")
_SPACE = re.compile(r"\s")


class _Unsupported(Exception):
    """The text holds something this scan leaves to Python-Markdown."""


class FastInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's ``inline`` tree processor, with its first passes done in one scan."""

    def run(self, tree, ancestors=None):
        self._fast = _known(self.md.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 - the name it overrides
        slow = super()._InlineProcessor__handleInline
        if not self._fast or patternIndex != 0 or isinstance(data, util.AtomicString):
            return slow(data, patternIndex)
        stashed, html = len(self.stashed_nodes), self.md.htmlStash.html_counter
        try:
            return self._emphasis(self._scan(data))
        except _Unsupported:  # Python-Markdown's path, from a stash as it was before the scan
            while len(self.stashed_nodes) > stashed:
                self.stashed_nodes.popitem()
            del self.md.htmlStash.rawHtmlBlocks[html:]
            self.md.htmlStash.html_counter = html
            return slow(data, patternIndex)

    def _emphasis(self, data: str) -> str:
        """The ``em_strong`` pass over scanned text, when its ``*`` runs pair up in order as
        plain ``**strong**`` or ``*em*`` around text that starts and ends with no space (a last
        run left over pairs with nothing: it stays text, as it does there). Anything else
        (``_``, ``***``, a pair around space) is left to Python-Markdown's delimiter rules."""
        runs = list(_DELIMITERS.finditer(data))
        if any(run.group() not in ("*", "**") for run in runs):
            raise _Unsupported
        out, last = [], 0
        for opener, closer in zip(runs[::2], runs[1::2]):
            mark, a, b = opener.group(), opener.end(), closer.start()
            if closer.group() != mark or _SPACE.match(data, a) or _SPACE.match(data, b - 1):
                raise _Unsupported
            el = etree.Element("strong" if len(mark) == 2 else "em")
            el.text = data[a:b]
            out += (data[last:opener.start()], self._stash(el, "DelimiterProcessor"))
            last = closer.end()
        out.append(data[last:])
        return "".join(out)

    def _scan(self, data: str, start: int = 0, in_link: bool = False) -> str | tuple[str, int]:
        """``data`` with escapes, entities, plain tags and links replaced by placeholders, as
        the first four passes leave it; in a link's text, up to its ``]``: (text, index after)."""
        out, last, pos = [], start, start
        while (m := _TOKEN.search(data, pos)) is not None:
            kind, begin, pos = m.lastindex, m.start(), m.end()
            if kind == ESCAPE and m.group(1) not in self.md.ESCAPED_CHARS:
                pos = begin + 1  # the backslash stays; the next character is scanned as usual
                continue
            if kind == CLOSE and not in_link:
                continue  # a bracket that closes nothing is text
            out.append(data[last:begin])
            if kind == CLOSE:
                return "".join(out), pos
            placeholder, last = self._token(kind, m, data, in_link)
            out.append(placeholder)
            pos = last
        if in_link:
            raise _Unsupported
        out.append(data[last:])
        return "".join(out)

    def _token(self, kind: int, m: re.Match, data: str, in_link: bool) -> tuple[str, int]:
        """The placeholder of one token, stashed as Python-Markdown's pass for it stashes it,
        and the index after the token."""
        if kind == ESCAPE:
            return self._stash(f"{util.STX}{ord(m.group(1))}{util.ETX}", "EscapeInlineProcessor"), m.end()
        if kind in (ENTITY, TAG):
            return self._stash(self.md.htmlStash.store(m.group(kind)), "HtmlInlineProcessor"), m.end()
        if kind == BRACKET and m.group(BRACKET) == "[" and not in_link:
            return self._link(data, m.end())
        raise _Unsupported

    def _link(self, data: str, index: int) -> tuple[str, int]:
        """The link whose text starts at ``index``: its placeholder and the index after it."""
        text, index = self._scan(data, index, in_link=True)
        target = _PLAIN_TARGET.match(data, index)
        if target is None:
            raise _Unsupported
        el = etree.Element("a")
        el.text = self._emphasis(text) if text else text
        el.set("href", target.group(1))
        return self._stash(el, "LinkInlineProcessor"), target.end()

    def _stash(self, node, kind: str) -> str:
        return self._InlineProcessor__stashNode(node, kind)


def install(md) -> None:
    """Put ``FastInlineProcessor`` in place of ``md``'s inline processor (it does only what
    that one does while the inline patterns are ``PATTERNS``)."""
    md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)


def _known(patterns) -> bool:
    """Whether ``patterns`` are Python-Markdown's ``PATTERNS``, in that order, and nothing else."""
    if len(patterns) != len(PATTERNS):
        return False
    return all(name in patterns and patterns.get_index_for_name(name) == i and type(patterns[name]) is kind
               for i, (name, kind) in enumerate(zip(PATTERNS, _KINDS)))
