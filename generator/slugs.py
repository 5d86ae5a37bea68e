"""Slugs: the one function that turns names into ids and URL segments."""
from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII lower-case words joined by hyphens; '' when nothing is left."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "").replace("'", "").lower()
    return _NON_SLUG.sub("-", text).strip("-")
