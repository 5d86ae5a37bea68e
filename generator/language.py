"""Language detection by function words (generator/data/languages.yaml): enough to tell the
languages news corpora mix. Cyrillic text is told apart by its letters."""
from __future__ import annotations

import re
from functools import lru_cache

from .yamlio import load_shipped

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SAMPLE_CHARS = 6000  # enough words to decide; detection stays cheap on long articles


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, frozenset[str]], str, str]:
    data = load_shipped("languages.yaml")
    words = {lang: frozenset(str(w) for w in ws) for lang, ws in data.items() if isinstance(ws, list)}
    return words, data["uk_letters"], data["ru_letters"]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the most likely language; 'en' when nothing decides."""
    sample = text[:SAMPLE_CHARS].lower()
    words, uk_letters, ru_letters = _data()
    if len(_CYRILLIC.findall(sample)) > len(sample) // 4:
        uk = sum(sample.count(c) for c in uk_letters)
        ru = sum(sample.count(c) for c in ru_letters)
        return "uk" if uk > ru else "ru"
    counts = dict.fromkeys(words, 0)
    owners = _owners()
    for word in _WORD.findall(sample):
        for lang in owners.get(word, ()):
            counts[lang] += 1
    best = max(sorted(counts), key=lambda lang: counts[lang])
    return best if counts[best] > 0 else "en"


@lru_cache(maxsize=1)
def _owners() -> dict[str, tuple[str, ...]]:
    """{function word: the languages it belongs to}."""
    owners: dict[str, list[str]] = {}
    for lang, vocabulary in _data()[0].items():
        for word in vocabulary:
            owners.setdefault(word, []).append(lang)
    return {w: tuple(langs) for w, langs in owners.items()}
