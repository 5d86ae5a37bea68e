"""Quotations and their speakers.

A quotation is the exact text between a pair of quote marks (“ ”, " ", « », „ “) in a
paragraph, list item or heading. Its speaker is resolved, in order, from the words after the
closing mark ("…,” she said", "…,” says X"), the words before the opening mark ("X told CNN,
“…”", "X described it as “…”"), "according to X", and failing those from the text before it
(a speaker named in the previous sentence; a quoted paragraph that goes on from the previous
paragraph's quotation). Speakers are entity ids taken from the article's mentions; a described
but unnamed speaker ("One Ukrainian battalion commander") is kept as a label. The word lists
are in generator/data/speech.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


from .model import Article, Entity, Mention, Quote
from .yamlio import load_shipped

_OPENERS = {"“": "”", "«": "»", "„": "“”", "\"": "\""}
_MARKS = re.compile(r"[“”«»„\"]")
_TOKEN = re.compile(r"\w+(?:[’'\-]\w+)*|[^\w\s]")
_CLAUSE_BREAK = re.compile(r"[;:()\[\]]|\bthat\b|\bwhich\b|\bwho\b|\bwhile\b|\bbecause\b")
_COORDINATION = re.compile(r"\band\b|\bbut\b")
_PHRASE_END = re.compile(r"[.;:!?]|,\s+(?:who|which|adding|saying|noting|and|but|as|when|after|in)\b")
_SOURCE_END = re.compile(r"[,.;:!?“”«»„\"]")
SCARE_MAX_WORDS = 2
INHERIT_BLOCKS = 2  # a quoted paragraph goes on from a quotation at most this many blocks back


# --- the word lists --------------------------------------------------------------------------

@dataclass(frozen=True)
class Lexicon:
    verbs: re.Pattern
    sources: re.Pattern
    adverbs: frozenset[str]
    roles: frozenset[str]
    determiners: frozenset[str]
    titles: frozenset[str]
    pronouns: dict[str, str]
    gender_words: dict[str, str]
    organisation_words: frozenset[str]
    media_words: frozenset[str]
    media_objects: re.Pattern
    not_names: frozenset[str]
    not_person_words: frozenset[str]


def words_pattern(words, flags: int = 0) -> re.Pattern:
    """A whole-word alternation of ``words``, longest first."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![\w’'-])(?:{alternatives})(?![\w’'-])", flags)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_shipped("speech.yaml")
    gender = {w: g for g, ws in data["gender_words"].items() for w in ws}
    return Lexicon(
        verbs=words_pattern(data["speech_verbs"]),  # case-sensitive: "States" is no verb
        sources=words_pattern(data["source_phrases"], re.I),
        adverbs=frozenset(data["adverbs"]), roles=frozenset(data["role_nouns"]),
        determiners=frozenset(data["determiners"]), titles=frozenset(data["titles"]),
        pronouns=dict(data["pronouns"]), gender_words=gender,
        organisation_words=frozenset(data["organisation_words"]),
        media_words=frozenset(data["media_words"]),
        media_objects=words_pattern(data["media_objects"], re.I),
        not_names=frozenset(data["not_names"]),
        not_person_words=frozenset(data["not_person_words"]),
    )


# --- where things are in a block -------------------------------------------------------------

@dataclass
class BlockText:
    """A block's text with its sentences and mentions placed at offsets in that text."""

    index: int
    text: str
    sentences: list[tuple[int, int, int, int]]  # (sentence index, start, end, line)
    mentions: list[tuple[int, int, Mention]] = field(default_factory=list)  # (start, end, mention)

    def sentence_at(self, offset: int) -> tuple[int, int, int, int]:
        for sentence in self.sentences:
            if sentence[1] <= offset < sentence[2]:
                return sentence
        return self.sentences[-1] if offset >= self.sentences[-1][2] else self.sentences[0]

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, Mention]]:
        return [m for m in self.mentions if start <= m[0] and m[1] <= end]


def block_texts(article: Article, mentions: tuple[Mention, ...] | list[Mention]) -> list[BlockText]:
    """Every non-table block with its sentences and mentions at offsets in the block text."""
    by_block: dict[int, BlockText] = {}
    where: dict[int, tuple[BlockText, int]] = {}
    cursor: dict[int, int] = {}
    blocks = {b.index: b for b in article.blocks if b.kind != "table"}
    for sentence in article.sentences:
        block = blocks.get(sentence.block)
        if block is None:
            continue
        bt = by_block.setdefault(block.index, BlockText(block.index, block.text, []))
        start = block.text.find(sentence.text, cursor.get(block.index, 0))
        if start < 0:
            continue
        cursor[block.index] = start + len(sentence.text)
        bt.sentences.append((sentence.index, start, start + len(sentence.text), sentence.line))
        where[sentence.index] = (bt, start)
    for m in mentions:
        if m.sentence in where:
            bt, offset = where[m.sentence]
            bt.mentions.append((offset + m.start, offset + m.end, m))
    return [by_block[i] for i in sorted(by_block) if by_block[i].sentences]


# --- quote marks -----------------------------------------------------------------------------

def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text between each pair of quote marks; an unclosed quote runs to the end.

    Curly and guillemet marks pair by kind („ closes with “ or ”); straight marks alternate.
    """
    spans: list[tuple[int, int]] = []
    open_at, closers = -1, ""
    for match in _MARKS.finditer(text):
        mark, at = match.group(0), match.start()
        if open_at < 0 and mark in _OPENERS:
            open_at, closers = at, _OPENERS[mark]
        elif open_at >= 0 and mark in closers:
            spans.append((open_at + 1, at))
            open_at = -1
    if open_at >= 0 and text[open_at + 1:].strip():
        spans.append((open_at + 1, len(text.rstrip())))
    return [(s, e) for s, e in spans if any(c.isalnum() for c in text[s:e])]


# --- speakers --------------------------------------------------------------------------------

@dataclass
class Speakers:
    """What speaker resolution needs to know about one article."""

    entities: dict[str, Entity]
    blocks: list[BlockText]
    persons: list[tuple[int, int, str]]  # (block, offset, entity id) of person mentions, in order
    gender: dict[str, str]

    def is_person(self, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        return entity is not None and entity.kind == "person"

    def last_person(self, block: int, offset: int, gender: str | None) -> str | None:
        """The latest person named before the position whose known gender does not contradict."""
        before = [p for p in self.persons if (p[0], p[1]) < (block, offset)]
        for _, _, pid in reversed(before):
            if gender is None or self.gender.get(pid) in (None, gender):
                return pid
        return before[-1][2] if before else None

    def antecedent(self, bt: BlockText, offset: int, gender: str) -> Resolution:
        """Who 'he' or 'she' is: the speaker of the sentence before the quotation, else the last
        person named."""
        opened = [s for s, _ in quote_spans(bt.text) if s < offset]
        sentence = bt.sentence_at(min([offset] + opened[-1:]))
        previous = [s for s in bt.sentences if s[2] <= sentence[1]]
        if previous:
            found = _before(self, bt, previous[-1][1], previous[-1][2])
            if found[1] is not None or (found[0] and self.is_person(found[0])
                                        and self.gender.get(found[0]) in (None, gender)):
                return found
        return self.last_person(bt.index, offset, gender), None

    def described(self, phrase: str, block: int, offset: int) -> str | None:
        """'the general staff', 'the institute': an organisation named earlier in the article."""
        words = re.findall(r"\w+", phrase.lower())
        if len(words) < 2 or words[0] != "the" or words[-1] not in lexicon().organisation_words:
            return None
        tail = " ".join(words[1:])
        for bt in reversed([b for b in self.blocks if b.index <= block]):
            for s, _, m in reversed(bt.mentions):
                entity = self.entities.get(m.entity)
                if (bt.index, s) >= (block, offset) or entity is None or entity.kind not in ("organisation", "media"):
                    continue
                names = [n.lower() for n in (entity.name, *entity.aliases)]
                if any(n == tail or n.endswith(" " + tail) for n in names):
                    return entity.id
        return None


Resolution = tuple[str | None, str | None]  # (speaker entity id, label)


def find_quotes(article: Article, mentions, entities: dict[str, Entity]) -> list[Quote]:
    """Every quotation of the article with its speaker, in text order."""
    blocks = block_texts(article, mentions)
    persons = [(bt.index, s, m.entity) for bt in blocks for s, _, m in bt.mentions
               if m.form == "name" and entities.get(m.entity) is not None and entities[m.entity].kind == "person"]
    speakers = Speakers(entities, blocks, persons, genders(blocks, entities))
    quotes: list[Quote] = []
    last: tuple[int, Resolution] | None = None  # (block, resolution) of the latest attributed quote
    for position, bt in enumerate(blocks):
        block_last: Resolution | None = None
        for start, end in quote_spans(bt.text):
            kind = quote_kind(bt.text, start, end)
            found = attribute(speakers, bt, start, end)
            if found == (None, None) and kind != "scare":
                found = inherited(speakers, blocks, position, start, end, block_last, last)
            sentence = bt.sentence_at(start)
            quotes.append(Quote(article.id, bt.index, sentence[0], sentence[3], bt.text[start:end],
                                found[0], found[1], kind))
            if found != (None, None) and kind != "scare":
                block_last = found
                last = (bt.index, found)
    return quotes


def quote_kind(text: str, start: int, end: int) -> str:
    """full: a whole sentence or more is quoted; partial: words inside the writer's sentence."""
    before = text[:start - 1].rstrip()
    inner = text[start:end].strip()
    whole = (not before or before[-1] in ".!?:,") and (inner[:1].isupper() or inner[:1].isdigit() or not before)
    if whole:
        return "full"
    return "scare" if len(inner.split()) <= SCARE_MAX_WORDS else "partial"


def attribute(sp: Speakers, bt: BlockText, start: int, end: int) -> Resolution:
    """The speaker named around the quotation, in its own sentence(s)."""
    open_sentence, close_sentence = bt.sentence_at(start), bt.sentence_at(max(start, end - 1))
    after = _after(sp, bt, end + 1, close_sentence[2])
    if after != (None, None):
        return after
    before = _before(sp, bt, open_sentence[1], start - 1)
    if before != (None, None):
        return before
    return _according_to(sp, bt, open_sentence[1], close_sentence[2])


def _after(sp: Speakers, bt: BlockText, start: int, end: int) -> Resolution:
    """"…,” said X" or "…,” X said" (up to the end of the sentence)."""
    text = bt.text[start:end]
    lead = len(text) - len(text.lstrip(" ,.;:!?—–-"))
    text, start = text[lead:], start + lead
    verb = lexicon().verbs.search(text)
    if verb is None or _MARKS.search(text, 0, verb.start()) or len(text[:verb.start()].split()) > 30:
        return None, None
    if verb.start() == 0:
        stop = _phrase_end(text, verb.end())
        return noun_phrase(sp, bt, start + verb.end(), start + stop, from_end=False)
    return noun_phrase(sp, bt, start, start + verb.start(), from_end=True)


def _phrase_end(text: str, at: int) -> int:
    """End of the noun phrase after a verb: the sentence end, or a clause after a comma."""
    match = _PHRASE_END.search(text, at)
    return match.start() if match else len(text)


def _before(sp: Speakers, bt: BlockText, start: int, end: int) -> Resolution:
    """"X said: “…”", "X told CNN, “…”", "X described it as “…”": the subject of the nearest verb."""
    text = bt.text[start:end]
    quoted = quote_spans(text)
    verbs = [v for v in lexicon().verbs.finditer(text) if not any(s <= v.start() < e for s, e in quoted)]
    for verb in reversed(verbs):
        found = noun_phrase(sp, bt, start + _clause_start(text, verb.start()), start + verb.start(), from_end=True)
        if found != (None, None):
            return found
    if text.rstrip().endswith(":"):
        return noun_phrase(sp, bt, start + _clause_start(text, len(text)), start + len(text.rstrip()) - 1, from_end=True)
    return None, None


def _clause_start(text: str, at: int) -> int:
    """Start of the clause that ends at ``at``: after the last ';', ':', 'that', quotation or 'and'."""
    floor = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, at):
        floor = match.end()
    for match in _MARKS.finditer(text, 0, at):
        floor = max(floor, match.end())
    for match in _COORDINATION.finditer(text, 0, at):
        if not text[match.end():at].strip(" ,"):
            continue
        floor = max(floor, match.end())
    return floor


def _according_to(sp: Speakers, bt: BlockText, start: int, end: int) -> Resolution:
    text = bt.text[start:end]
    quoted = quote_spans(text)
    for match in lexicon().sources.finditer(text):
        if any(s <= match.start() < e for s, e in quoted):
            continue
        stop = _SOURCE_END.search(text, match.end())
        return noun_phrase(sp, bt, start + match.end(), start + (stop.start() if stop else len(text)), from_end=False)
    return None, None


def inherited(sp: Speakers, blocks: list[BlockText], position: int, start: int, end: int,
              block_last: Resolution | None, last: tuple[int, Resolution] | None) -> Resolution:
    """A speaker from before the quotation: the previous sentence, or an earlier quotation."""
    bt = blocks[position]
    standalone = not bt.text[:start - 1].strip() and len(bt.text[end:].strip(" ,.;:!?”\"»“")) <= 2
    if standalone and last is not None and bt.index - last[0] <= INHERIT_BLOCKS:
        return last[1]
    sentence = bt.sentence_at(start)
    previous = [s for s in bt.sentences if s[2] <= sentence[1]]
    if previous:
        named = _named_in(sp, bt, previous[-1])
        if named != (None, None):
            return named
    if block_last is not None:
        return block_last
    if standalone and position > 0 and blocks[position - 1].index >= bt.index - 1:
        prev = blocks[position - 1]
        return _named_in(sp, prev, prev.sentences[-1])
    return None, None


def _named_in(sp: Speakers, bt: BlockText, sentence: tuple[int, int, int, int]) -> Resolution:
    """The speaker a sentence names: the subject of its speech verb, else its one person."""
    found = _before(sp, bt, sentence[1], sentence[2])
    if found != (None, None):
        return found
    people = {m.entity for s, e, m in bt.mentions_in(sentence[1], sentence[2]) if sp.is_person(m.entity)}
    return (people.pop(), None) if len(people) == 1 else (None, None)


def noun_phrase(sp: Speakers, bt: BlockText, start: int, end: int, from_end: bool) -> Resolution:
    """Who a speaker phrase names: a pronoun's person, a person, a described speaker, an actor.

    Read from the end ("…, he said", "Kremlin spokesman X said") the phrase is its last comma
    segment, an appositive between commas dropped; read from the start ("said X, head of …")
    it is its first segment.
    """
    start, end = _segment(bt.text, start, end, from_end)
    if start >= end:
        return None, None
    lex = lexicon()
    phrase = bt.text[start:end]
    words = [w.lower() for w in re.findall(r"\w+(?:[’'\-]\w+)*", phrase)]
    if len(words) == 1 and words[0] in lex.pronouns:
        return sp.antecedent(bt, start, lex.pronouns[words[0]])
    if not words or len(words) > 12:
        return None, None
    inside = bt.mentions_in(start, end)
    people = [m for _, _, m in inside if sp.is_person(m.entity)]
    if people:
        return (people[-1] if from_end else people[0]).entity, None
    named = sp.described(phrase, bt.index, start)
    if named:
        return named, None
    label = _described(phrase, lex)
    if label:
        return None, label
    actors = [m for _, _, m in inside if m.form != "demonym"]
    if actors and _bare_name(phrase, actors, lex):
        return actors[0].entity, None
    return None, None


def _segment(text: str, start: int, end: int, from_end: bool) -> tuple[int, int]:
    """The comma segment of text[start:end] that can name a speaker, without filler words."""
    piece = text[start:end]
    if from_end:
        stripped = piece.rstrip(" ,—–")
        if piece.rstrip().endswith(",") and _appositive_start(stripped) > 0:
            stripped = stripped[:_appositive_start(stripped)]
        cut = max(stripped.rfind(","), stripped.rfind("—"), stripped.rfind("–"))
        seg_start, seg_end = start + cut + 1, start + len(stripped)
    else:
        relative = re.search(r"\s(?:who|which|whose|that)\s", piece)
        cuts = (piece.find(","), piece.find("—"), piece.find("("), relative.start() if relative else -1)
        seg_start, seg_end = start, start + min([i for i in cuts if i >= 0], default=len(piece))
    tokens = [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(text, seg_start, seg_end)]
    adverbs = lexicon().adverbs
    while tokens and tokens[-1][2] in adverbs:
        tokens.pop()
    while tokens and (tokens[0][2] in adverbs or not tokens[0][2][0].isalnum()):
        tokens.pop(0)
    return (tokens[0][0], tokens[-1][1]) if tokens else (seg_start, seg_start)


def _appositive_start(text: str) -> int:
    """Offset of the comma that opens a trailing appositive ("Name, a … of …"), or -1."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ",":
            return i if depth == 0 else -1
        if text[i] in ")]":
            depth += 1
        elif text[i] in "([":
            depth -= 1
    return -1


def _described(phrase: str, lex: Lexicon) -> str | None:
    """'One Ukrainian battalion commander', 'a spokesman for the group': a role, no name."""
    words = [w.lower() for w in re.findall(r"\w+(?:[’'\-]\w+)*", phrase)]
    if not words or len(words) > 10:
        return None
    head = [w for w in words[:6] if w in lex.roles]
    if head and (words[0] in lex.determiners or words[0] in lex.roles or phrase[:1].isupper() or len(words) <= 4):
        return " ".join(phrase.split()).strip(" ,")
    return None


def _bare_name(phrase: str, actors: list[Mention], lex: Lexicon) -> bool:
    """True when the phrase is an actor's name and little else ("the Kremlin", "Russia's defence ministry")."""
    rest = phrase
    for m in actors:
        rest = rest.replace(m.surface, " ")
    words = [w.lower() for w in re.findall(r"\w+", rest)]
    return all(w in lex.determiners or w in lex.organisation_words or w in ("s", "own") or len(w) <= 2
               for w in words) and len(words) <= 4


# --- gender ----------------------------------------------------------------------------------

def genders(blocks: list[BlockText], entities: dict[str, Entity]) -> dict[str, str]:
    """Gender of persons the article shows: a gendered word before the name, or 'He'/'She'
    opening the sentence after the only person of the sentence before."""
    lex = lexicon()
    votes: dict[str, dict[str, int]] = {}
    sentences = [(bt, s) for bt in blocks for s in bt.sentences]
    for n, (bt, sentence) in enumerate(sentences):
        people = [(s, m) for s, e, m in bt.mentions_in(sentence[1], sentence[2])
                  if entities.get(m.entity) is not None and entities[m.entity].kind == "person"]
        for s, m in people:
            before = re.findall(r"\w+", bt.text[max(sentence[1], s - 30):s].lower())[-2:]
            for word in before:
                if word in lex.gender_words:
                    _vote(votes, m.entity, lex.gender_words[word])
        if len({m.entity for _, m in people}) == 1 and n + 1 < len(sentences):
            nbt, nxt = sentences[n + 1]
            opening = re.match(r"\W*(?:[^,.]{0,40},\s*)?(he|she)\b", nbt.text[nxt[1]:nxt[2]], re.I)
            if opening and not bt.mentions_in(nxt[1], nxt[1] + opening.start(1)):
                _vote(votes, people[0][1].entity, lex.pronouns[opening.group(1).lower()])
    return {pid: max(sorted(v), key=lambda g: v[g]) for pid, v in votes.items()
            if len(set(v.values())) > 1 or len(v) == 1}


def _vote(votes: dict[str, dict[str, int]], entity_id: str, gender: str) -> None:
    votes.setdefault(entity_id, {}).setdefault(gender, 0)
    votes[entity_id][gender] += 1
