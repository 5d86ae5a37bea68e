"""Escaping article text for Markdown pages: text never becomes HTML, links or template code.

HTML-significant characters become entities; Markdown punctuation gets a backslash; text is
folded onto one line so it can never start a block (list, heading, table) of its own.
"""
from __future__ import annotations

import re

from markupsafe import Markup

# Characters Python-Markdown (with the tables extension) and MkDocs-compatible builders
# accept backslash escapes for, wherever they stand.
_INLINE = re.compile(r"([\\`*_{}\[\]()#+!|])")
_LINE_START = re.compile(r"^(\d+)([.)])")


def md(text: object) -> Markup:
    """Markdown-safe inline text."""
    if isinstance(text, Markup):
        return text
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _INLINE.sub(r"\\\1", value)
    value = _LINE_START.sub(r"\1\\\2", value)
    if value.startswith(("-", "=", ":", "~", "%")):
        value = "&#" + str(ord(value[0])) + ";" + value[1:]
    return Markup(value)


def attr(text: object) -> Markup:
    """Text for an HTML attribute value written in double quotes."""
    value = " ".join(str(text).split())
    for raw, entity in (("&", "&amp;"), ('"', "&quot;"), ("<", "&lt;"), (">", "&gt;"), ("'", "&#39;")):
        value = value.replace(raw, entity)
    return Markup(value)


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """Text with the given character spans in bold, everything escaped."""
    out, last = [], 0
    for start, end in sorted(set(spans)):
        if start < last:
            continue
        out.append(_piece(text[last:start]))
        out.append(Markup("**") + md(text[start:end]) + Markup("**"))
        last = end
    out.append(_piece(text[last:]))
    return Markup("").join(out)


def _piece(text: str) -> Markup:
    """An escaped fragment that keeps one space at either end where it had any."""
    if not text.strip():
        return Markup(" " if text else "")
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return Markup(lead) + md(text) + Markup(trail)
