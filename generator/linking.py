"""Linking: find the gazetteer's regions and actors in text.

Text and aliases are compared as token sequences (words and single punctuation marks) after a
one-to-one character mapping (curly apostrophes to straight, hyphens and dashes to spaces), so
offsets in the mapped text are offsets in the original. Matching is whole-word and longest
first; case rules are in generator/data/GAZETTEER.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Entity

_TOKEN = re.compile(r"\w+|[^\w\s]")
_MAP = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "-": " ", "‐": " ", "‑": " ",
                      "–": " ", "—": " ", "\u00a0": " ", "\t": " "})
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
    """(token, start, end) of every token; the list is shared with later calls on the same text,
    so callers must not change it (``find`` and ``candidates`` tokenise each sentence once)."""
    if text == _LAST[0]:
        return _LAST[1]
    found = [(m[0], m.start(), m.end()) for m in _TOKEN.finditer(text.translate(_MAP))]
    _LAST[0], _LAST[1], _LAST[2] = text, found, None
    return found


def _lowered(text: str, toks: list[tuple[str, int, int]]) -> list[str]:
    """Lower-case tokens of ``text`` (from ``tokens``), remembered alongside them."""
    if _LAST[2] is None or _LAST[1] is not toks:
        lowered = [t.lower() for t, _, _ in toks]
        if _LAST[1] is toks:
            _LAST[2] = lowered
        return lowered
    return _LAST[2]


_LAST: list = [None, None, None]  # the last text tokenised: (text, tokens, lowered tokens or None)


class Linker:
    """Finds entity mentions; built once per corpus from the merged gazetteer."""

    def __init__(self, entities: list[Entity]):
        self.entities = {e.id: e for e in entities}
        self.index: dict[str, list[AliasForm]] = {}
        for form in self._forms(entities):
            self.index.setdefault(form.lowered[0], []).append(form)
        for forms in self.index.values():
            forms.sort(key=lambda f: -len(f.lowered))

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
        toks = tokens(text)
        lowered = _lowered(text, toks)
        matches: list[Match] = []
        index = self.index
        after = 0  # tokens before this one are inside an earlier match
        for i in [i for i, t in enumerate(lowered) if t in index]:  # where an alias may start
            if i < after:
                continue
            found = self._match_at(toks, lowered, i)
            if found is None:
                continue
            form, length = found
            start, end = toks[i][1], toks[i + length - 1][2]
            entity_id, kind = self._resolve(form, toks, lowered, i, length, context, region_hint)
            matches.append(Match(entity_id, start, end, text[start:end], kind))
            after = i + length
        return matches

    def _match_at(self, toks, lowered, i) -> tuple[AliasForm, int] | None:
        for form in self.index.get(lowered[i], ()):
            n = len(form.lowered)
            if tuple(lowered[i:i + n]) == form.lowered and _case_ok(form, [t for t, _, _ in toks[i:i + n]]):
                return form, n
        return None

    def _resolve(self, form: AliasForm, toks, lowered, i, length, context: str, region_hint: bool) -> tuple[str, str]:
        entity = self._choose(form.entities, context)
        if form.form == "demonym":
            return entity.id, "demonym"
        parent = self.entities.get(entity.parent or "")
        if entity.kind == "city" and parent is not None and parent.kind == "oblast":
            if region_hint or _followed_by_region_word(toks, lowered, i + length):
                return parent.id, "name"
        if entity.capital_of and entity.capital_of in self.entities and not _locative(lowered, i):
            return entity.capital_of, "metonym"
        return entity.id, "name"

    def _choose(self, ids: tuple[str, ...], context: str) -> Entity:
        """The first entry whose context words occur (as whole words) in the article; else the first."""
        if len(ids) > 1 and context:
            for entity_id in ids:
                if any(_has_word(context, word) for word in self.entities[entity_id].context):
                    return self.entities[entity_id]
        return self.entities[ids[0]]

    def candidates(self, text: str, matches: list[Match]) -> list[str]:
        """Capitalised multi-word names in ``text`` that no entity covers."""
        toks = tokens(text)
        covered = [(m.start, m.end) for m in matches]
        names, run = [], []
        for n, (tok, start, end) in enumerate(toks + [("", len(text), len(text))]):
            if tok[:1].isupper() and tok.isalpha() and tok.lower() not in _NOT_NAMES \
                    and not any(s <= start < e for s, e in covered):
                run.append((tok, start, end))
                continue
            if not run:
                continue  # nothing to extend or to close
            if tok.lower() in _CAPITALISED_GLUE and n + 1 < len(toks) and toks[n + 1][0][:1].isupper() \
                    and not any(s <= start < e for s, e in covered):
                run.append((tok, start, end))
                continue
            while run and run[-1][0].lower() in _CAPITALISED_GLUE:
                run.pop()
            if len([t for t, _, _ in run if t[:1].isupper()]) >= 2:
                names.append(text[run[0][1]:run[-1][2]])
            run = []
        return names


def _case_ok(form: AliasForm, surface: list[str]) -> bool:
    if list(form.written) == surface:
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


def _followed_by_region_word(toks, lowered, j: int) -> bool:
    """'Donetsk, Luhansk and Kherson regions': a city name in a list of names ended by a plural region word."""
    for k in range(j, min(j + MAX_REGION_LIST_TOKENS, len(lowered))):
        if lowered[k] in REGION_WORDS:
            return True
        if not (lowered[k] in ("and", ",") or toks[k][0][:1].isupper()):
            return False
    return False
