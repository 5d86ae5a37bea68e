"""Figures: every numeric claim of an article, normalised.

A figure is a number as written — numerals ("45,000", "$300 million", "50%"), number words
("Ten thousand"), fractions ("half") or a vague magnitude ("tens of thousands", value None) —
with the hedge or bound written before it ("some", "up to"), the unit or counted noun after it
(troops, km, USD, months …), whether it is a rate ("a day") or about losses, and the actor and
region its sentence names. Ordinals, years, dates, model numbers ("F-16") and labels
("Article 5") are not claims. The word lists are in generator/data/figures.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


from .linking import LOCATIVE
from .model import Article, Entity, Figure, Mention, Sentence
from .quotes import lexicon, words_pattern
from .yamlio import load_shipped

_TOKEN = re.compile(r"-?[\w’']+(?:-[\w’']+)*|[^\w\s]")
_CLAUSE = re.compile(r"[,;:(—–]|\b(?:that|which|while|but|whereas|although|where|who)\b")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_WORD_DOT = re.compile(r"[\w.]+")
_AGE_BEFORE = re.compile(r"[A-Z]\w+,\s*$")  # "Halyna Petrenko, 71, runs …": an age
_AGE_AFTER = re.compile(r"\s*[,)]")
_WORDS = re.compile(r"[a-z]+")
_UNIT_SUFFIXES = {"km": "km", "kg": "kg", "m": "m", "t": "tonnes", "mw": "MW", "gw": "GW"}
NOUN_WINDOW = 6
CAPITALISED_NOUNS = frozenset({"de"})  # languages that write every noun with a capital
NEAR_AFTER = 40  # characters after a figure within which "in Kursk" still places it


@dataclass(frozen=True)
class Vocabulary:
    number: re.Pattern
    starts: re.Pattern  # every place a number can start (a superset)
    qualifier: re.Pattern
    qualifier_chars: int  # the longest qualifier
    rate: re.Pattern
    units: dict[str, int]
    scales: dict[str, int]
    fractions: dict[str, float]
    vague: frozenset[str]
    currencies: dict[str, str]
    currency_words: dict[str, str]
    unit_words: dict[str, str]
    durations: dict[str, str]
    rates: dict[str, str]
    families: dict[str, str]  # noun -> family
    measures: dict[str, str]  # word -> measure
    measure_names: frozenset[str]  # losses, captured …: cumulative counts
    modifiers: frozenset[str]
    stop_words: frozenset[str]
    label_words: frozenset[str]
    months: frozenset[str]
    anaphora: re.Pattern
    triggers: frozenset[str]  # words one of which a sentence with a spelled-out figure contains
    filler: frozenset[str]  # words between an amount and the noun it is of ("worth", "valued")


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    d = load_shipped("figures.yaml")
    return Vocabulary(
        number=_number_pattern(d), starts=_start_pattern(d), qualifier=_ending(d["qualifiers"]),
        qualifier_chars=max(map(len, d["qualifiers"])),
        rate=re.compile(r"\s*(?:" + "|".join(re.escape(r) for r in sorted(d["rates"], key=len, reverse=True)) + r")\b", re.I),
        units={k: int(v) for k, v in d["units"].items()}, scales={k: int(v) for k, v in d["scales"].items()},
        fractions={k: float(v) for k, v in d["fractions"].items()}, vague=frozenset(d["vague"]),
        currencies=dict(d["currencies"]), currency_words=dict(d["currency_words"]),
        unit_words=dict(d["unit_words"]), durations=dict(d["durations"]), rates=dict(d["rates"]),
        families={w: fam for fam, ws in d["families"].items() for w in ws},
        measures={w: m for m, ws in d["measures"].items() for w in ws}, measure_names=frozenset(d["measures"]),
        modifiers=frozenset(d["noun_modifiers"]), stop_words=frozenset(d["stop_words"]),
        label_words=frozenset(d["label_words"]), months=frozenset(d["months"]),
        anaphora=words_pattern(d["place_anaphora"], re.I),
        triggers=frozenset(w for phrase in [*d["units"], *d["scales"], *d["vague"], *d["fractions"]]
                           for w in re.findall(r"[a-z]+", phrase) if w not in ("a", "of", "few", "several")),
        filler=frozenset(d["amount_filler"]) | frozenset(w for q in d["qualifiers"] for w in q.split()),
    )


def _ending(words: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s(“\"«„]))(?P<q>{alternatives})\s+$", re.I)


def _currencies(d: dict) -> str:
    """The currency signs and words as regex alternatives, longest first."""
    return "|".join(re.escape(c) for c in sorted(d["currencies"], key=len, reverse=True))


def _start_pattern(d: dict) -> re.Pattern:
    """Where ``_number_pattern`` can match: a digit, a currency, or a word that can begin a
    spelled, vague or fractional number (each followed by a non-word character)."""
    currency = _currencies(d)
    phrases = [*d["units"], "one", "a", "half", *d["vague"], *d["fractions"]]
    firsts = "|".join(sorted({re.split(r"[\s-]+", p)[0] for p in phrases}, key=len, reverse=True))
    return re.compile(rf"(?=\d|{currency})|(?<![\w-])(?=(?:{firsts})(?!\w))", re.I)


def _number_pattern(d: dict) -> re.Pattern:
    currency = _currencies(d)
    scales = "|".join(sorted((s for s in d["scales"] if len(s) > 2), key=len, reverse=True))
    word = "|".join(sorted(d["units"], key=len, reverse=True))
    more = rf"(?:(?:\s+and\s+|[\s-]+)(?:{word}|{scales}))*"
    spelled = rf"(?:{word}){more}|(?:one|a)[\s-]+(?:{scales}){more}"
    vague = "|".join(re.escape(v) for v in sorted(d["vague"], key=len, reverse=True))
    fraction = "|".join(re.escape(f) for f in sorted(d["fractions"], key=len, reverse=True))
    return re.compile(
        rf"(?:(?P<cur>{currency})\s?)?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
        rf"(?:\s?(?P<scale>{scales}|bn|mn|m|k)(?![\w]))?(?P<pct>\s?%)?"
        rf"|(?<![\w-])(?P<half>half)\s+an?\s+(?P<halfscale>{scales})(?![\w])"
        rf"|(?<![\w-])(?P<vague>{vague})(?![\w-])"
        rf"|(?<![\w-])(?P<fraction>{fraction})(?![\w-])"
        rf"|(?<![\w-])(?P<words>{spelled})(?![\w])", re.I)


# --- one article -----------------------------------------------------------------------------

def find_figures(article: Article, mentions, entities: dict[str, Entity]) -> list[Figure]:
    """Every numeric claim of the article, in text order."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    figures: list[Figure] = []
    earlier: list[Mention] = []  # mentions of the block's earlier sentences
    block = -1
    for sentence in article.sentences:
        if sentence.block != block:
            earlier, block = [], sentence.block
        found = sentence_figures(sentence.text, article.language)
        if found:
            context = Context(sentence, by_sentence.get(sentence.index, []), entities, earlier)
            figures += [context.figure(article.id, claim) for claim in found]
        earlier = earlier + by_sentence.get(sentence.index, [])
    return figures


@dataclass(frozen=True)
class Claim:
    start: int  # of the figure text, hedge included
    end: int  # of the figure text, noun included
    number_start: int
    number_end: int
    value: float | int | None
    unit: str
    qualifier: str | None
    per: str | None


def sentence_figures(text: str, language: str = "en") -> list[Claim]:
    """The numeric claims of one sentence."""
    voc = vocabulary()
    claims: list[Claim] = []
    if not _DIGIT.search(text) and voc.triggers.isdisjoint(_WORDS.findall(text.lower())):
        return claims  # most sentences: no digit and no number word
    for match in _numbers(text, voc):
        parsed = _parse(match, text, language, voc)
        if parsed is None:
            continue
        value, unit = parsed
        noun_end, unit = _noun(text, match, unit, voc, claims, language)
        before = _qualifier(text, match.start(), voc)
        qualifier = before.group("q").lower() if before else None
        rate = voc.rate.match(text, noun_end)
        per = voc.rates[" ".join(rate.group(0).lower().split())] if rate else None
        claims.append(Claim(before.start("q") if before else match.start(), noun_end, match.start(), match.end(),
                            value, unit, qualifier, per))
    return claims


def _numbers(text: str, voc: Vocabulary):
    """``voc.number.finditer(text)``, trying the pattern only where a number can start."""
    end = 0
    for candidate in voc.starts.finditer(text):
        at = candidate.start()
        if at >= end:
            match = voc.number.match(text, at)
            if match:
                end = match.end()
                yield match


def _qualifier(text: str, end: int, voc: Vocabulary) -> re.Match | None:
    """``voc.qualifier.search(text, 0, end)``: a qualifier ends where the white space before
    ``end`` starts, so the search starts at most the longest qualifier before that."""
    space = end - len(text[:end].rstrip())
    return voc.qualifier.search(text, max(0, end - space - voc.qualifier_chars), end)


def _parse(match: re.Match, text: str, language: str, voc: Vocabulary) -> tuple[float | int | None, str] | None:
    """(value, unit from the number itself) or None when the match is not a claim."""
    if match.group("num"):
        return _numeral(match, text, language, voc)
    if match.group("vague"):
        return None, ""
    if match.group("half"):
        return voc.scales[match.group("halfscale").lower()] // 2, ""  # "half a million"
    if match.group("fraction"):
        return _fraction(match, text, voc)
    return _spelled(match, text, voc)


def _numeral(match: re.Match, text: str, language: str, voc: Vocabulary) -> tuple[float | int, str] | None:
    num, cur, scale = match.group("num"), match.group("cur"), (match.group("scale") or "").lower()
    start, end = match.start("num"), match.end()
    if _not_a_claim(text, start, end, num, bool(cur or scale or match.group("pct")), voc):
        return None
    if scale in ("m", "k", "bn", "mn") and not cur:
        return None  # "5m" without a currency is a length, and "m"/"k" alone is too vague
    value = _number_value(num, language) * voc.scales.get(scale, 1)
    value = int(value) if float(value).is_integer() else round(value, 4)
    unit = voc.currencies[cur] if cur else "percent" if match.group("pct") else ""
    return value, unit


def _number_value(num: str, language: str) -> float:
    if language != "en" and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
        return float(num.replace(".", ""))  # "45.000" in German, French, Spanish
    if re.fullmatch(r"\d+,\d{1,2}", num):
        return float(num.replace(",", ".")) if language != "en" else float(num.replace(",", ""))
    return float(num.replace(",", ""))


def _not_a_claim(text: str, start: int, end: int, num: str, marked: bool, voc: Vocabulary) -> bool:
    """Years, dates, times, ordinals, model numbers, labels and ages."""
    before, after = text[max(0, start - 2):start], text[end:end + 3]
    if before and (before[-1].isalnum() or before[-1] in "/:#" or (before[-1] == "-" and before[0].isalpha())):
        return True  # "F-16", "pre-2014", "24/7", "10:30"
    if re.match(r"[a-zA-Z]", after) and after.split()[0].lower().rstrip(".,") not in _UNIT_SUFFIXES \
            or re.match(r"[/:]\d", after):
        return True  # "1st", "1990s", "5G"
    prev_word = (_WORD_DOT.findall(text, max(0, start - 30), start)[-1:] or [""])[0]
    next_word = (_WORD.findall(text, end, end + 20)[:1] or [""])[0]
    if _month(prev_word, voc) or _month(next_word, voc):
        return True  # "20 January", "January 20"
    if prev_word[:1].isupper() and prev_word.lower().rstrip(".") in voc.label_words:
        return True  # "Article 5", "No. 3"
    if not marked and _YEAR.match(num) and next_word.lower() not in voc.families:
        return True
    return len(num) <= 3 and bool(_AGE_BEFORE.search(text, max(0, start - 40), start) and _AGE_AFTER.match(text, end))


def _month(word: str, voc: Vocabulary) -> bool:
    lower = word.lower().rstrip(".")
    return lower in voc.months and (word[:1].isupper() or lower not in ("may", "march", "mar"))


def _fraction(match: re.Match, text: str, voc: Vocabulary) -> tuple[float, str] | None:
    word = " ".join(match.group("fraction").lower().split())
    before = [w.lower() for w in _WORD.findall(text, max(0, match.start() - 30), match.start())[-2:]]
    if set(before) & {"first", "second", "latter", "other", "last"}:
        return None  # "the first half of the year"
    after = text[match.end():match.end() + 12].lower()
    if word != "half" and not re.match(r"\s+of\b", after) and not _qualifier(text, match.start(), voc):
        return None
    value = voc.fractions[word]
    return (int(value) if value.is_integer() else value), "percent"


def _spelled(match: re.Match, text: str, voc: Vocabulary) -> tuple[int, str] | None:
    words = [w for w in re.split(r"[\s-]+", match.group("words").lower()) if w != "and"]
    if words[0] in ("one", "a") and (len(words) == 1 or words[1] not in voc.scales):
        return None  # "one of the towns", "a day"
    total, current = 0, 0
    for word in words:
        if word in voc.scales:
            current = max(current, 1) * voc.scales[word]
            if voc.scales[word] >= 1000:
                total, current = total + current, 0
        else:
            current += 1 if word in ("one", "a") else voc.units[word]
    return total + current, ""


def _noun(text: str, match: re.Match, unit: str, voc: Vocabulary, earlier: list[Claim],
          language: str = "en") -> tuple[int, str]:
    """(end of the figure text, unit): the counted noun or unit after the number, if any."""
    end = match.end()
    if unit in ("percent",) or match.group("fraction"):
        return end, unit or "percent"
    if unit:  # a currency: "$300 million"
        return end, unit
    toks = [(m.group(0), end + m.start(), end + m.end()) for m in _TOKEN.finditer(text[end:end + 80])][:NOUN_WINDOW + 2]
    if toks and toks[0][0].lower() in _UNIT_SUFFIXES and toks[0][1] == end:
        return toks[0][2], _UNIT_SUFFIXES[toks[0][0].lower()]
    if toks and toks[0][0].startswith("-") and toks[0][0][1:].lower() not in voc.durations:
        return end, ""  # "a 1,200-strong battalion": a compound we do not read
    found = _scan_noun(toks, voc, bool(match.group("vague")), language in CAPITALISED_NOUNS)
    if found:
        return found
    counted = [c.unit for c in earlier if c.unit and c.unit not in voc.durations.values()]
    return end, counted[-1] if counted else ""  # "40,000 soldiers …, of which 16,100 have fallen"


def _scan_noun(toks: list[tuple[str, int, int]], voc: Vocabulary, vague: bool,
               capitalised_nouns: bool = False) -> tuple[int, str] | None:
    """The counted noun among the first tokens after a number, past names and modifiers."""
    skipped = 0
    for n, (tok, _, tok_end) in enumerate(toks):
        word = tok.lower().lstrip("-")
        pair = f"{word} {toks[n + 1][0].lower()}" if n + 1 < len(toks) else ""
        if pair in voc.unit_words:
            return toks[n + 1][2], voc.unit_words[pair]
        for table in (voc.unit_words, voc.durations, voc.currency_words):
            if word in table:
                return tok_end, table[word]
        if tok.startswith("-"):
            return None  # "-strong", "-odd": a compound we do not read
        if word in voc.stop_words or not tok[0].isalnum() or voc.number.fullmatch(tok):
            return None
        if (tok[0].isupper() and not capitalised_nouns) or word in voc.modifiers \
                or ("-" in word and not vague and skipped < 2):
            skipped += 1
            if skipped > 4:
                return None
            continue
        return _compound(toks[n:], voc)
    return None


def _compound(toks: list[tuple[str, int, int]], voc: Vocabulary) -> tuple[int, str]:
    """'oil producers', 'cruise and ballistic missiles': words before a plural noun modify it."""
    word, _, end = toks[0]
    if not word.endswith("s"):
        for nxt, _, nxt_end in toks[1:4]:
            if not (nxt.isalpha() and nxt.islower()) or nxt in voc.stop_words:
                break
            if nxt.endswith("s") and nxt not in voc.modifiers:
                return nxt_end, nxt
    return end, word.lower()


# --- what a figure is about ------------------------------------------------------------------

@dataclass
class Context:
    sentence: Sentence
    mentions: list[Mention]
    entities: dict[str, Entity]
    previous: list[Mention]  # mentions of the earlier sentences of the block

    def figure(self, article: str, claim: Claim) -> Figure:
        text = self.sentence.text
        clause_start, clause_end = _clause(text, claim.number_start, claim.end)
        return Figure(article, self.sentence.block, self.sentence.index, self.sentence.line,
                      text[claim.start:claim.end], claim.value, claim.unit, claim.qualifier,
                      self.actor(claim, clause_start), self.region(claim, clause_start, clause_end),
                      per=claim.per, measure=self.measure(claim, clause_start, clause_end))

    def measure(self, claim: Claim, clause_start: int, clause_end: int) -> str | None:
        """Losses or captures; for an amount or a share, the thing it is of ("package", "steel")."""
        text = self.sentence.text
        found = _measure(text[clause_start:clause_end])
        if found or not (claim.unit == "percent" or claim.unit.isupper()):
            return found
        return _object(text[claim.end:clause_end], text[clause_start:claim.start])

    def actor(self, claim: Claim, clause_start: int) -> str | None:
        for m in self.mentions:  # "Ten thousand North Korean troops": the noun's own demonym
            if m.form == "demonym" and claim.number_end <= m.start < claim.end:
                return self._as_actor(m.entity)
        actors = [m for m in self.mentions if m.end <= claim.number_start and self._is_actor(m.entity)]
        in_clause = [m for m in actors if m.start >= clause_start]
        chosen = in_clause[0] if in_clause else actors[-1] if actors else None
        return self._as_actor(chosen.entity) if chosen else None

    def region(self, claim: Claim, clause_start: int, clause_end: int) -> str | None:
        """A place named before the figure, or just after it ("… troops in Kursk"); a country
        used as a place in the figure's clause; the place named before "the area"."""
        text = self.sentence.text
        places = [m for m in self.mentions if self._is_place(m.entity) and m.form == "name"]
        after = [m for m in places if claim.end <= m.start < claim.end + NEAR_AFTER and _locative(text, m.start)]
        before = [m for m in places if m.end <= claim.number_start]
        if after or before:
            return (after[0] if after else before[-1]).entity
        for m in self.mentions:  # "an attack on Ukraine"
            if m.form == "name" and self._kind(m.entity) == "country" and clause_start <= m.start < clause_end \
                    and _locative(text, m.start):
                return m.entity
        if vocabulary().anaphora.search(text):
            earlier = [m for m in self.previous if self._is_place(m.entity) and m.form == "name"]
            return earlier[-1].entity if earlier else None
        return None

    def _kind(self, entity_id: str) -> str | None:
        entity = self.entities.get(entity_id)
        return entity.kind if entity else None

    def _is_place(self, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        return entity is not None and entity.type == "region" and entity.kind != "country"

    def _is_actor(self, entity_id: str) -> bool:
        """States, people, organisations; a capital stands for its state ("the ministry in Moscow")."""
        entity = self.entities.get(entity_id)
        return entity is not None and entity.kind != "media" and (entity.is_actor or entity.capital_of in self.entities)

    def _as_actor(self, entity_id: str) -> str:
        """People count for their state; a capital for its state."""
        entity = self.entities.get(entity_id)
        if entity is not None and entity.kind == "person" and entity.country in self.entities:
            return entity.country
        if entity is not None and not entity.is_actor and entity.capital_of in self.entities:
            return entity.capital_of
        return entity_id


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause around text[start:end]; reported speech starts after its verb
    ("the General Staff says Russian losses have averaged …")."""
    clause_start = 0
    for match in _CLAUSE.finditer(text, 0, start):
        clause_start = match.end()
    for match in lexicon().verbs.finditer(text, clause_start, start):
        clause_start = match.end()
    following = _CLAUSE.search(text, end)
    return clause_start, following.start() if following else len(text)


def _measure(clause: str) -> str | None:
    words = re.findall(r"[\w’']+", clause.lower())
    measures = vocabulary().measures
    for n, word in enumerate(words):
        if word in measures:
            return measures[word]
        if n + 1 < len(words) and f"{word} {words[n + 1]}" in measures:
            return measures[f"{word} {words[n + 1]}"]
    return None


def _object(after: str, before: str) -> str | None:
    """The noun an amount or share is of: "$425 million drawdown", "45 percent on Chinese
    steel", "a package worth nearly $300 million"."""
    voc = vocabulary()
    following = re.findall(r"[\w’'-]+|[^\w\s]", after)[:7]
    if following and following[0].islower() and following[0] not in voc.stop_words | voc.filler | voc.modifiers:
        return _singular(following[0])
    if following and following[0] in ("on", "of", "for"):
        nouns = []
        for word in following[1:6]:
            if word.lower() in voc.stop_words and nouns or word.lower() in ("it", "them", "which", "whom"):
                break
            if word.islower() and word not in voc.stop_words | voc.modifiers | voc.filler:
                nouns.append(word)
        plural = [w for w in nouns if w.endswith("s") and not w.endswith("ss")]
        if nouns:
            return _singular((plural or nouns)[0])
    words = re.findall(r"[\w’'-]+", before)[-5:]
    while words and words[-1].lower() in voc.filler:
        words.pop()
    if len(words) < len(re.findall(r"[\w’'-]+", before)[-5:]) and words and words[-1].islower() \
            and words[-1] not in voc.stop_words | voc.modifiers:
        return _singular(words[-1])  # "a package worth nearly …": the noun before the filler
    return None


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _locative(text: str, at: int) -> bool:
    before = [w for w in re.findall(r"\w+", text[max(0, at - 24):at].lower()) if w != "the"][-1:]
    return bool(before) and before[0] in LOCATIVE
