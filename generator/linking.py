"""Linking: find the gazetteer's regions and actors in text.

Text and aliases are compared as token sequences (words and single punctuation marks) after a
one-to-one character mapping (curly apostrophes to straight, hyphens and dashes to spaces), so
offsets in the mapped text are offsets in the original. Matching is whole-word and longest
first; case rules are in generator/data/GAZETTEER.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import itemgetter
from typing import NamedTuple

from .model import Entity
from .reading import replace_chars

_SPLIT = re.compile(r"(\w+|[^\w\s])")  # tokens; between them only white space
_MAP = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "-": " ", "‐": " ", "‑": " ",
        "–": " ", "—": " ", "\u00a0": " ", "\t": " "}  # one character for one: offsets stay
LOCATIVE = frozenset("in at near to from into toward towards around outside over on across via inside "
                     "reached visited visit visiting left entered city capital streets".split())
REGION_WORDS = frozenset("regions oblasts provinces".split())
MAX_REGION_LIST_TOKENS = 16  # "Donetsk, Luhansk, Zaporizhzhia and Kherson regions"
_CAPITALISED_GLUE = frozenset("of the for de du des la le von van al bin".split())
_NOT_NAMES = frozenset("""
the a an in on at of for and but or if as by to it its this that these those there they we he she
his her our their my your i you one two three monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
however meanwhile additionally while although despite after before since when where what which who
according amid ahead some many several both all any each every no not yes also still even just
president prime minister foreign defence defense secretary general chancellor analyst analysts
commander spokesman spokeswoman spokesperson mr mrs ms dr gen former key
""".split())


@dataclass(frozen=True)
class AliasForm:
    written: tuple[str, ...]  # tokens as written in the gazetteer
    lowered: tuple[str, ...]
    entities: tuple[str, ...]  # more than one when the alias is shared (resolved by context)
    form: str  # name | demonym
    exact: bool
    allow_lower: bool


@dataclass(frozen=True)
class Match:
    entity: str
    start: int
    end: int
    surface: str
    form: str  # name | demonym | metonym


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of every token."""
    tk = _tokenised(text)
    return list(zip(tk.words, tk.starts, tk.ends))


class _Tokens(NamedTuple):
    """The tokens of one text as parallel lists (built without a Python loop per token)."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    lowered: list[str]


def _tokenised(text: str) -> _Tokens:
    """Tokens of ``text``; the last text's are remembered, so ``find`` and ``candidates``
    tokenise each sentence once. Callers must not change the lists."""
    if text == _LAST[0]:
        return _LAST[1]
    pieces = _SPLIT.split(replace_chars(text, _MAP))  # [space, token, space, token, …, space]
    bounds = list(accumulate(map(len, pieces)))
    words = pieces[1::2]
    found = _Tokens(words, bounds[0::2], bounds[1::2], list(map(str.lower, words)))
    _LAST[0], _LAST[1] = text, found
    return found


_LAST: list = [None, None]  # the last text tokenised and its tokens


class Linker:
    """Finds entity mentions; built once per corpus from the merged gazetteer."""

    def __init__(self, entities: list[Entity]):
        self.entities = {e.id: e for e in entities}
        self.index: dict[str, list[AliasForm]] = {}
        for form in self._forms(entities):
            self.index.setdefault(form.lowered[0], []).append(form)
        for forms in self.index.values():
            forms.sort(key=lambda f: -len(f.lowered))
        self._pairs: dict[tuple[str, ...], list[AliasForm]] = {}  # longer aliases by their first two tokens
        self._singles: dict[str, list[AliasForm]] = {}  # one-token aliases
        for forms in self.index.values():
            for form in forms:
                if len(form.lowered) > 1:
                    self._pairs.setdefault(form.lowered[:2], []).append(form)
                else:
                    self._singles.setdefault(form.lowered[0], []).append(form)
        self._context: tuple[str | None, dict[str, bool]] = (None, {})  # the article's context words found

    def _forms(self, entities: list[Entity]) -> list[AliasForm]:
        owners: dict[tuple[tuple[str, ...], str], list[str]] = {}
        flags: dict[tuple[tuple[str, ...], str], tuple[bool, bool]] = {}
        for entity in entities:
            names = [(n, "name") for n in (entity.name, *entity.aliases)] + [(d, "demonym") for d in entity.demonyms]
            for name, form in names:
                written = tuple(t for t, _, _ in tokens(name))
                if not written:
                    continue
                key = (written, form)
                if entity.id not in owners.setdefault(key, []):
                    owners[key].append(entity.id)
                exact = name in entity.exact_case or len(name.replace(".", "").replace(" ", "")) <= 3
                allow_lower = entity.type == "region" and entity.kind != "country" and len(name) >= 4
                flags[key] = (exact, allow_lower)
        return [AliasForm(w, tuple(t.lower() for t in w), tuple(ids), form, *flags[(w, form)])
                for (w, form), ids in owners.items()]

    def find(self, text: str, context: str = "", region_hint: bool = False) -> list[Match]:
        """Every mention in ``text``; ``context`` is the article text used to settle shared aliases."""
        tk = _tokenised(text)
        matches: list[Match] = []
        after = 0  # tokens before this one are inside an earlier match
        for i in self._starts(tk.lowered):  # where an alias may start
            if i < after:
                continue
            found = self._match_at(tk, i)
            if found is None:
                continue
            form, length = found
            start, end = tk.starts[i], tk.ends[i + length - 1]
            entity_id, kind = self._resolve(form, tk, i, length, context, region_hint)
            matches.append(Match(entity_id, start, end, text[start:end], kind))
            after = i + length
        return matches

    def _starts(self, lowered: list[str]) -> list[int]:
        """Token positions where an alias may start (its first token is there)."""
        return list(compress(range(len(lowered)), map(self.index.__contains__, lowered)))

    def _match_at(self, tk: _Tokens, i: int) -> tuple[AliasForm, int] | None:
        """The longest alias at token i whose case fits (forms of two tokens or more come first)."""
        lowered, words = tk.lowered, tk.words
        for form in self._pairs.get(tuple(lowered[i:i + 2]), ()):
            n = len(form.lowered)
            if tuple(lowered[i:i + n]) == form.lowered and _case_ok(form, words[i:i + n]):
                return form, n
        for form in self._singles.get(lowered[i], ()):
            if _case_ok(form, words[i:i + 1]):
                return form, 1
        return None

    def _resolve(self, form: AliasForm, tk: _Tokens, i, length, context: str, region_hint: bool) -> tuple[str, str]:
        entity = self._choose(form.entities, context)
        if form.form == "demonym":
            return entity.id, "demonym"
        parent = self.entities.get(entity.parent or "")
        if entity.kind == "city" and parent is not None and parent.kind == "oblast":
            if region_hint or _followed_by_region_word(tk.words, tk.lowered, i + length):
                return parent.id, "name"
        if entity.capital_of and entity.capital_of in self.entities and not _locative(tk.lowered, i):
            return entity.capital_of, "metonym"
        return entity.id, "name"

    def _choose(self, ids: tuple[str, ...], context: str) -> Entity:
        """The first entry whose context words occur (as whole words) in the article; else the first."""
        if len(ids) > 1 and context:
            for entity_id in ids:
                if any(self._in_context(context, word) for word in self.entities[entity_id].context):
                    return self.entities[entity_id]
        return self.entities[ids[0]]

    def _in_context(self, context: str, word: str) -> bool:
        """``_has_word(context, word)``, remembered for the article being linked."""
        if context != self._context[0]:
            self._context = (context, {})
        seen = self._context[1]
        if word not in seen:
            seen[word] = _has_word(context, word)
        return seen[word]

    def candidates(self, text: str, matches: list[Match]) -> list[str]:
        """Capitalised multi-word names in ``text`` that no entity covers."""
        tk = _tokenised(text)
        words, starts = tk.words, tk.starts
        covered = [(m.start, m.end) for m in matches]
        capitals = compress(range(len(words)), map(str.isupper, map(itemgetter(0), words)))
        names, n = [], 0
        for first in capitals:  # a name starts at a capitalised word
            if first < n or not _name_word(words[first], starts[first], covered):
                continue
            n = _run_end(words, starts, covered, first)
            last = n
            while last > first and words[last - 1].lower() in _CAPITALISED_GLUE:
                last -= 1
            if sum(1 for k in range(first, last) if words[k][:1].isupper()) >= 2:
                names.append(text[starts[first]:tk.ends[last - 1]])
        return names


def _name_word(word: str, start: int, covered: list[tuple[int, int]]) -> bool:
    """A capitalised word that is no common word and no part of a mention."""
    return word[:1].isupper() and word.isalpha() and word.lower() not in _NOT_NAMES and not _inside(start, covered)


def _inside(start: int, covered: list[tuple[int, int]]) -> bool:
    """Does a token starting at ``start`` lie in one of the ``covered`` (start, end) spans?"""
    return any(s <= start < e for s, e in covered)


def _run_end(words: list[str], starts: list[int], covered, first: int) -> int:
    """The token after the run of name words (and glue words before a capital) from ``first``."""
    k = first + 1
    while k < len(words):
        if not _name_word(words[k], starts[k], covered) and not (
                words[k].lower() in _CAPITALISED_GLUE and k + 1 < len(words) and words[k + 1][:1].isupper()
                and not _inside(starts[k], covered)):
            break
        k += 1
    return k


def _case_ok(form: AliasForm, surface: list[str]) -> bool:
    if form.written == tuple(surface):
        return True
    if form.exact:
        return False
    if all(s == w.upper() for s, w in zip(surface, form.written)) and len("".join(surface)) > 3:
        return True
    if form.allow_lower and all(s == w.lower() for s, w in zip(surface, form.written)):
        return True
    # Title-cased common words in headlines: "Kursk Region" for "Kursk region"
    return all(s == w or (w.islower() and s == w.capitalize()) for s, w in zip(surface, form.written))


def _locative(lowered: list[str], i: int) -> bool:
    """True when the capital at token i is used as a place ("in Moscow", "attack on Kyiv")."""
    back = [t for t in lowered[max(0, i - 3):i] if t not in ("the", "'", "s")]
    if not back:
        return False
    return back[-1] in LOCATIVE or (back[-1] == "," and "capital" in back)


def _has_word(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` as whole words, in any case."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I) is not None


def _followed_by_region_word(words: list[str], lowered: list[str], j: int) -> bool:
    """'Donetsk, Luhansk and Kherson regions': a city name in a list of names ended by a plural region word."""
    for k in range(j, min(j + MAX_REGION_LIST_TOKENS, len(lowered))):
        if lowered[k] in REGION_WORDS:
            return True
        if not (lowered[k] in ("and", ",") or words[k][:1].isupper()):
            return False
    return False
