"""Discovery: people and organisations quoted or cited but missing from the gazetteer.

Runs on the articles' lines before the linker is built, so that every mention of a discovered
name links like a gazetteer entry. Only names in a speaker or source position are taken —
"X said", "said X", "X, a military analyst, told …", "according to X", "told X" (a news
outlet) — and organisations named in a speaker's role ("head of the … Network", "expert at
… College London"). Everything found is an Entity with origin "extracted".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


from .model import Entity
from .quotes import Lexicon, lexicon
from .reading import SourceDoc
from .slugs import slugify
from .structure import split_blocks, split_sentences
from .yamlio import load_shipped

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w]*(?:[’'\-]\w+)*"
_GLUE = r"(?:of|for|the|and|on|de|du|des|van|von|der|den|al|bin|la|le|für|y|da|di|del)"
_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_GLUE}\s+)*{_CAP})*")
_PARTICLES = frozenset("van von der den de du al bin la le da di del y".split())
_PERSON_TOKEN = re.compile(r"^(?:Mc|Mac|O[’'])?[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž]?[a-zà-öø-ÿā-ž]+)*$")
_ACRONYM = re.compile(r"^\s*\(([A-Z][A-Z&]{1,7})\)")
_AGE = re.compile(r"^,\s*\d{1,3},")
_CAPS = re.compile(r"\b[A-Z]{2,8}\b")
_LOWER = re.compile(r"\b[a-z]{3,}\b")
_AGE_ANYWHERE = re.compile(r"[a-z],\s*\d{1,3},")  # "Halyna Petrenko, 71, runs …"
_POSSESSIVE = re.compile(r"[’']s\b")
_KEY_WORD = re.compile(r"[^\W_]+")
MAX_ROLE_CHARS = 160
LOOK_BACK = 40  # characters before a name searched for "according to", "said", "told"
_APPOSITIVE = re.compile(rf"^,\s*([^,.;:“”\"«»()]{{3,{MAX_ROLE_CHARS}}})")


@dataclass
class Found:
    name: str
    kind: str  # person | organisation | media
    role: str | None = None
    aliases: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Patterns:
    speech: re.Pattern  # a sentence worth reading
    follows: re.Pattern  # after a name: optional appositive, then a speech verb
    precedes: re.Pattern  # before a name: a speech verb or "according to"
    media: re.Pattern  # before a name: "told", "in an interview with"
    longest: int  # characters of the longest verb, source or media phrase


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    lex = lexicon()
    verbs = lex.verbs.pattern
    adverbs = "|".join(re.escape(a) for a in sorted(lex.adverbs, key=len, reverse=True))
    return Patterns(
        speech=re.compile(f"{verbs}|{_plain(lex.sources)}|{_plain(lex.media_objects)}"),
        follows=re.compile(rf"^(?:,\s*(?P<app>[^,“”\"«»()]{{2,{MAX_ROLE_CHARS}}}?),|,\s*\d{{1,3}},)?\s+"
                           rf"(?:(?:{adverbs})\s+){{0,3}}{verbs}"),
        precedes=re.compile(rf"(?:{verbs}|{_plain(lex.sources)})\s+(?:the\s+)?$"),
        media=re.compile(rf"{_plain(lex.media_objects)}\s+(?:the\s+)?$"),
        longest=max(len(str(w)) for key in ("speech_verbs", "source_phrases", "media_objects") for w in speech_words()[key]),
    )


@lru_cache(maxsize=1)
def speech_words() -> dict:
    return load_shipped("speech.yaml")


def _ends_with(pattern: re.Pattern, before: str) -> bool:
    """``pattern.search(before)`` for ``precedes`` and ``media``: a phrase then white space (and
    "the") up to the end, so the search starts at most the longest phrase before that."""
    tail = before.rstrip()
    if tail.endswith("the"):
        tail = tail[:-3].rstrip()
    return pattern.search(before, max(0, len(tail) - patterns().longest)) is not None


def _plain(pattern: re.Pattern) -> str:
    """A case-insensitive pattern's text wrapped so it can join a case-sensitive one."""
    return f"(?i:{pattern.pattern})"


def discover_entities(docs: list[SourceDoc], entities: list[Entity]) -> list[Entity]:
    """The gazetteer's entities followed by those discovered in ``docs`` (sorted by name)."""
    known = Known.of(entities)
    return merge_scans([scan_doc(doc, known) for doc in docs], entities, known)


@dataclass(frozen=True)
class DocScan:
    """What one article contributes to discovery (computed on its own, so it can run in a worker
    process and be cached by the article's content)."""

    found: tuple[Found, ...]  # in text order
    caps: frozenset[str]  # acronyms written in it ("WSJ")
    # Words written in lower case in it, sorted, one space between: a run with a warm cache loads
    # every article's scan, and one string loads about five times faster than a set of words.
    lowered: str


def scan_doc(doc: SourceDoc, known: Known) -> DocScan:
    text = "\n".join(line for _, line in doc.lines)
    found = []
    for sentence in _sentences(doc):
        if patterns().speech.search(sentence) or _AGE_ANYWHERE.search(sentence):
            found += scan_sentence(sentence, known)
    return DocScan(tuple(found), frozenset(_CAPS.findall(text)), " ".join(sorted(set(_LOWER.findall(text)))))


def merge_scans(scans: list[DocScan], entities: list[Entity], known: Known) -> list[Entity]:
    """``discover_entities`` from the articles' scans, in article order."""
    found: dict[str, Found] = {}
    caps: set[str] = set()  # acronyms written anywhere ("WSJ")
    lowered: set[str] = set()  # words written in lower case anywhere: common words, not names
    for scan in scans:
        caps.update(scan.caps)
        lowered.update(scan.lowered.split())
        for item in scan.found:
            _merge(found, Found(item.name, item.kind, item.role, set(item.aliases)))  # a copy: scans stay as found
    kept = [f for f in found.values() if f.kind != "person" or not _common(f.name, lowered)]
    ids = {e.id for e in entities}
    additions = []
    for item in sorted(kept, key=lambda f: f.name):
        entity = _entity(item, caps, lowered, found, known)
        if entity.id and entity.id not in ids:
            ids.add(entity.id)
            additions.append(entity)
    return list(entities) + additions


def _common(name: str, lowered: set[str]) -> bool:
    """'Military Intelligence': a first or last word the articles also write in lower case."""
    words = name.split()
    return words[0].lower() in lowered or words[-1].lower() in lowered


def _sentences(doc: SourceDoc):
    for block in split_blocks(list(doc.lines)):
        if block.kind == "paragraph":
            yield from split_sentences(block.text)
        elif block.kind == "list":
            for item in block.items:
                yield from split_sentences(item)


@dataclass(frozen=True)
class Known:
    """Names the gazetteer already has, as lower-case token strings."""

    names: frozenset[str]

    @classmethod
    def of(cls, entities: list[Entity]) -> "Known":
        names = set()
        for e in entities:
            for name in (e.name, *e.aliases, *e.demonyms):
                names.add(_key(name))
        return cls(frozenset(names))

    def has(self, name: str) -> bool:
        key = _key(name)
        return key in self.names or (key.startswith("the ") and key[4:] in self.names)


def _key(name: str) -> str:
    """Lower-case words of a name, without possessive, punctuation or hyphens."""
    return " ".join(_KEY_WORD.findall(_POSSESSIVE.sub("", name.replace("’", "'")).lower()))


# --- one sentence ----------------------------------------------------------------------------

def scan_sentence(sentence: str, known: Known) -> list[Found]:
    """People and organisations the sentence quotes or cites."""
    lex = lexicon()
    out: list[Found] = []
    for run in _RUN.finditer(sentence):
        before, after = sentence[max(0, run.start() - LOOK_BACK):run.start()], sentence[run.end():]
        if not _cited(before, after):
            continue
        words = _strip(run.group(0).split(), known, lex)
        kind, name, titles = _kind(words, known, lex)
        if kind is None or known.has(name) or not _cited(before, after, kind):
            continue
        if kind == "organisation" and _ends_with(patterns().media, before) and not _has(name, lex.organisation_words):
            kind = "media"
        role = _role(after, lex) if kind == "person" else None
        role = role or (" ".join(titles).lower() if titles else None)
        item = Found(_display(name, run.group(0), before), kind, role)
        acronym = _ACRONYM.match(after)
        if acronym and kind != "person":
            item.aliases.add(acronym.group(1))
        out.append(item)
        if role:
            out += _organisations_in(role, known, lex)
    return out


def _cited(before: str, after: str, kind: str | None = None) -> bool:
    """Is the name in a speaker or source position? (Any kind of name when ``kind`` is None.)"""
    p = patterns()
    if p.follows.match(after) or _ends_with(p.precedes, before):
        return True
    if kind in ("person", None) and _AGE.match(after):
        return True
    return kind != "person" and _ends_with(p.media, before)


def _strip(words: list[str], known: Known, lex: Lexicon) -> list[str]:
    """A capitalised run without leading function words and '-based' adjectives, and without
    a trailing possessive."""
    words = list(words)
    while words and not known.has(" ".join(words)):
        first = _POSSESSIVE.sub("", words[0])
        if not (first.lower() in lex.not_names or first.endswith("-based") or first.lower() in _PARTICLES):
            break
        words.pop(0)
    while words and (words[-1].lower() in _PARTICLES or words[-1].lower() in lex.not_names):
        words.pop()
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return words


def _kind(words: list[str], known: Known, lex: Lexicon) -> tuple[str | None, str, list[str]]:
    """(kind, name, titles) of a run: a person after the last title ("NATO Secretary General
    Mark Rutte"), else an organisation or outlet ("Yerevan Policy Institute"), else a person
    after known names ("Ukrainian analyst …"); kind None when it is none of these."""
    for t in range(len(words) - 2, -1, -1):
        if _POSSESSIVE.sub("", words[t]).lower() in lex.titles and _person(words[t + 1:], known, lex):
            titles = [w for w in words[:t + 1] if not known.has(w)]
            return "person", " ".join(words[t + 1:]), titles
    name = " ".join(words)
    if words and known.has(name):
        return None, name, []
    institution = _institution(words, lex)
    if institution:
        return institution, name, []
    rest = list(words)
    while rest and known.has(rest[0]):
        rest.pop(0)
    if _person(rest, known, lex):
        return "person", " ".join(rest), []
    return None, name, []


def _institution(words: list[str], lex: Lexicon) -> str | None:
    """'media' or 'organisation' when the name is built on such a word, with a word of its own."""
    if not words:
        return None
    lowered = [_POSSESSIVE.sub("", w).lower() for w in words]
    if lowered[-1] in lex.media_words or (set(lowered) & lex.media_words and lowered[-1] not in lex.organisation_words):
        return "media" if len(words) >= 2 else None
    if set(lowered) & lex.organisation_words:
        specific = [w for w in lowered if w not in lex.organisation_words and w not in lex.titles
                    and w not in lex.not_names and w not in _PARTICLES]
        return "organisation" if specific else None
    return None


def _person(words: list[str], known: Known, lex: Lexicon) -> bool:
    vocabulary = _not_in_names()
    return 2 <= len(words) <= 4 and words[0] not in _PARTICLES \
        and all(_PERSON_TOKEN.match(w) or w in _PARTICLES for w in words) \
        and not any(w.lower() in vocabulary or known.has(w) for w in words)


@lru_cache(maxsize=1)
def _not_in_names() -> frozenset[str]:
    """Words that are never part of a person's name: titles, institutions, places, function words."""
    lex = lexicon()
    return lex.not_names | lex.not_person_words | lex.titles | lex.organisation_words | lex.media_words


def _has(name: str, vocabulary: frozenset[str]) -> bool:
    return any(w.lower() in vocabulary for w in name.split())


def _display(name: str, run: str, before: str) -> str:
    """'The Wall Street Journal' keeps a capitalised 'The' written inside a sentence."""
    media = name.split()[-1].lower() in lexicon().media_words
    if media and run.startswith("The ") and before.strip() and name == run[4:]:
        return run
    return name


def _role(after: str, lex: Lexicon) -> str | None:
    """The appositive after a name when it states a role: ', a military analyst based in Vienna,'."""
    match = _APPOSITIVE.match(after)
    if not match:
        return None
    role = match.group(1).strip()
    words = role.split()
    if words[0].lower() in ("a", "an", "the", "who"):
        return " ".join(words[1:]) or None  # "a lawyer at …", "who manages a grain terminal …"
    if not any(w.lower().strip("’'") in lex.roles for w in words[:4]):
        return None  # no article: only "head of …", "chief economist at …"
    return role


def _organisations_in(role: str, known: Known, lex: Lexicon) -> list[Found]:
    """Organisations a role names: 'head of the New Geopolitics Research Network'."""
    out = []
    for run in _RUN.finditer(role):
        kind, name, _ = _kind(_strip(run.group(0).split(), known, lex), known, lex)
        if kind in ("organisation", "media") and not known.has(name):
            out.append(Found(name, kind))
    return out


# --- merging and building entities -----------------------------------------------------------

def _merge(found: dict[str, Found], item: Found) -> None:
    key = _key(item.name)
    if key in found:
        found[key].role = found[key].role or item.role
        found[key].aliases |= item.aliases
    else:
        found[key] = item


def _entity(item: Found, caps: set[str], lowered: set[str], found: dict[str, Found], known: Known) -> Entity:
    aliases = set(item.aliases)
    if item.kind == "person":
        surname = item.name.split()[-1]
        shared = sum(1 for f in found.values() if f.kind == "person" and f.name.split()[-1] == surname)
        if len(surname) >= 3 and surname.lower() not in lowered and shared == 1 and not known.has(surname):
            aliases.add(surname)
    else:
        initials = "".join(w[0] for w in item.name.split() if w[0].isupper() and w.lower() not in ("the",))
        if len(initials) >= 2 and initials in caps and not known.has(initials):
            aliases.add(initials)
        if item.name.startswith("The "):
            aliases.add(item.name[4:])
    return Entity(id=slugify(item.name), name=item.name, type="actor", kind=item.kind,
                  aliases=tuple(sorted(aliases)), role=item.role, origin="extracted")
