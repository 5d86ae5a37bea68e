"""Structure: split an article's lines into blocks (headings, paragraphs, lists, tables),
paragraphs into sentences, and find its title.

Works on the numbered lines produced by reading; every block keeps its source line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Block, Sentence

_BULLET = re.compile(r"^\s*(?:[-*•▪●◦+]|\d{1,2}[.)])\s+(\S.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_TERMINAL = tuple(".,;:!?…\"”»’)'")
_OPEN_QUOTES = tuple("\"“«„‘'")
_STRAIGHT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
MAX_HEADING_WORDS = 16
MAX_HEADING_CHARS = 120

# Section labels that head a part of an article but never name it.
GENERIC_HEADINGS = frozenset("""
key points|key takeaways|takeaways|highlights|summary|in brief|at a glance|background|context
|analysis|conclusion|the conclusion|conclusions|in conclusion|closing remarks|final thoughts
|outlook|what's next|what next|what comes next|introduction|overview|fazit|résumé|resumen
|zusammenfassung|hintergrund|related|more|latest|updates|live updates|editor's note
""".replace("\n", "").split("|"))

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt st sen rep gov pres adm cmdr jr sr vs etc approx
inc ltd co corp dept est jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u
d.c e.g i.e a.m p.m mt ft
""".split())
# Abbreviations only before a number ("No. 3", "Fig. 2"); "said no. The" ends a sentence.
_NUMBER_ABBREVIATIONS = frozenset("no nos fig figs vol".split())


def parse_cells(line: str) -> list[str]:
    """Cells of one pipe-table line; outer pipes optional, ``\\|`` is a literal pipe."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = re.split(r"(?<!\\)\|", text)
    return [c.strip().replace("\\|", "|") for c in cells]


def is_separator(line: str) -> bool:
    """A Markdown table separator row such as ``---|:--:|---``."""
    if "-" not in line:
        return False
    cells = [c for c in parse_cells(line) if c]
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def _is_table_start(lines: list[tuple[int, str]], i: int) -> bool:
    text = lines[i][1]
    if "|" not in text or len(parse_cells(text)) < 2:
        return False
    nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
    if "|" in nxt and is_separator(nxt):
        return True
    return text.lstrip().startswith("|") and "|" in nxt and nxt.lstrip().startswith("|")


def heading_like(text: str) -> bool:
    """A bare short line that can head a section: no closing punctuation, few words."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or stripped.endswith(_TERMINAL):
        return False
    if stripped.startswith(_OPEN_QUOTES) or "|" in stripped or _BULLET.match(stripped):
        return False
    words = stripped.split()
    return 1 <= len(words) <= MAX_HEADING_WORDS and stripped[0].isalnum()


def is_generic_heading(text: str) -> bool:
    return " ".join(text.lower().replace("’", "'").split()) in GENERIC_HEADINGS


@dataclass
class _Unit:
    kind: str
    line: int
    end_line: int
    lines: list[str]
    item_lines: list[int] = field(default_factory=list)


def _units(lines: list[tuple[int, str]]) -> list[_Unit]:
    """Group numbered lines into raw units before headings are told from paragraphs."""
    units: list[_Unit] = []
    wrapped = _looks_wrapped(lines)
    i = 0
    while i < len(lines):
        number, text = lines[i]
        if not text.strip():
            i += 1
            continue
        if _is_table_start(lines, i):
            j = i
            while j < len(lines) and "|" in lines[j][1] and lines[j][1].strip():
                j += 1
            units.append(_Unit("table", number, lines[j - 1][0], [t for _, t in lines[i:j]]))
            units[-1].item_lines = [n for n, _ in lines[i:j]]
            i = j
        elif _BULLET.match(text):
            i = _take_list(lines, i, units)
        elif _MD_HEADING.match(text):
            units.append(_Unit("md-heading", number, number, [_MD_HEADING.match(text).group(2)]))
            i += 1
        elif wrapped:
            i = _take_wrapped(lines, i, units)
        else:
            units.append(_Unit("text", number, number, [text.strip()]))
            i += 1
    return units


def _take_list(lines, i, units) -> int:
    items: list[str] = []
    numbers: list[int] = []
    while i < len(lines):
        number, text = lines[i]
        match = _BULLET.match(text)
        if match:
            items.append(match.group(1).strip())
            numbers.append(number)
        elif text.strip() and text.startswith((" ", "\t")) and items:
            items[-1] += " " + text.strip()
        else:
            break
        i += 1
    units.append(_Unit("list", numbers[0], lines[i - 1][0], items))
    units[-1].item_lines = numbers
    return i


def _take_wrapped(lines, i, units) -> int:
    """Hard-wrapped text: consecutive lines up to a blank line form one paragraph."""
    start = i
    parts = []
    while i < len(lines) and lines[i][1].strip() and not _BULLET.match(lines[i][1]) \
            and not _is_table_start(lines, i) and not _MD_HEADING.match(lines[i][1]):
        parts.append(lines[i][1].strip())
        i += 1
    if len(parts) > 1 and heading_like(parts[0]) and parts[1][:1].isupper():
        units.append(_Unit("text", lines[start][0], lines[start][0], [parts[0]]))
        start, parts = start + 1, parts[1:]
    units.append(_Unit("text", lines[start][0], lines[i - 1][0], [" ".join(parts)]))
    return i


def _looks_wrapped(lines: list[tuple[int, str]]) -> bool:
    """True when lines are cut mid-sentence (next line goes on in lower case)."""
    continued = 0
    for (_, text), (_, nxt) in zip(lines, lines[1:]):
        t, n = text.strip(), nxt.strip()
        if t and n and not t.endswith(_TERMINAL) and n[:1].islower() and "|" not in t and not _BULLET.match(n):
            continued += 1
    return continued >= 2


def split_blocks(lines: list[tuple[int, str]]) -> list[Block]:
    units = _units(lines)
    blocks: list[Block] = []
    for n, unit in enumerate(units):
        kind = _block_kind(unit, units[n + 1] if n + 1 < len(units) else None)
        index = len(blocks)
        if kind == "list":
            blocks.append(Block(index, "list", unit.line, unit.end_line, "\n".join(unit.lines),
                                tuple(unit.lines), tuple(unit.item_lines)))
        elif kind == "table":
            blocks.append(Block(index, "table", unit.line, unit.end_line, "\n".join(unit.lines),
                                (), tuple(unit.item_lines)))
        else:
            blocks.append(Block(index, kind, unit.line, unit.end_line, "\n".join(unit.lines)))
    return blocks


def _block_kind(unit: _Unit, following: _Unit | None) -> str:
    if unit.kind in ("table", "list"):
        return unit.kind
    if unit.kind == "md-heading":
        return "heading"
    text = unit.lines[0]
    if following is not None and heading_like(text) and len(unit.lines) == 1:
        return "heading"
    return "paragraph"


# --- sentences -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"""([.!?…]+["”’»)\]]*)(\s+)(?=["“«‘(\[]?[A-Z0-9À-ÖØ-Þ])""")


def prose_blocks(blocks) -> set[int]:
    """The indexes of the blocks that are running prose (paragraphs and lists): where unlinked
    names are looked for and summary sentences are taken from; not headings or tables."""
    return {b.index for b in blocks if b.kind in ("paragraph", "list")}


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations and initials together."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(1)
        if _is_abbreviation(text[start:end], text[match.end():match.end() + 1]):
            continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")
_WORD_BREAKS = "([“\""  # and white space


def _last_word(text: str) -> str:
    """What follows the last white space or opening bracket or quote in ``text``
    (``re.split(r"[\\s(\\[“\"]", text)[-1]``, without splitting the whole text)."""
    if not text or text[-1].isspace():
        return ""
    word = text.rsplit(None, 1)[-1]
    for mark in _WORD_BREAKS:
        word = word.rpartition(mark)[2]
    return word


def _is_abbreviation(chunk: str, following: str = "") -> bool:
    if not chunk.endswith("."):
        return False
    word = _last_word(chunk[:-1]).lower()
    if word in _NUMBER_ABBREVIATIONS:
        return following.isdigit()
    if word in _ABBREVIATIONS or _INITIALS.fullmatch(word):
        return True  # "U.S." "D.C." single initials "J."
    return False


def sentences_of(blocks: list[Block], tables_rows: dict[int, list[tuple[int, str]]]) -> list[Sentence]:
    """Sentences of every block in order; a table contributes one 'sentence' per row."""
    out: list[Sentence] = []
    for block in blocks:
        if block.kind == "table":
            pieces = tables_rows.get(block.index, [])
        elif block.kind == "list":
            pieces = [(line, s) for item, line in zip(block.items, block.item_lines) for s in split_sentences(item)]
        elif block.kind == "heading":
            pieces = [(block.line, block.text)]
        else:
            pieces = [(block.line, s) for s in split_sentences(block.text)]
        for line, text in pieces:
            out.append(Sentence(len(out), block.index, line, text))
    return out


# --- title -----------------------------------------------------------------------------

def find_title(blocks: list[Block]) -> tuple[str, str, list[Block]]:
    """(title, origin, blocks) for an article with no title in its front matter.

    A first line that reads as a headline is the title (a copy right after it is dropped);
    a headline right after a lead paragraph is the title and stays as a section heading;
    otherwise a short title is made from the lead.
    """
    if not blocks:
        return "Untitled article", "lead", blocks
    first = blocks[0]
    if _headline(first):
        if len(blocks) > 1 and blocks[1].kind in ("heading", "paragraph") and _same(blocks[1].text, first.text):
            blocks = [first] + blocks[2:]  # a headline repeated right after itself is one title
        return first.text.strip(), "headline", blocks
    if first.kind == "paragraph" and len(blocks) > 1 and _headline(blocks[1]):
        return blocks[1].text.strip(), "headline", blocks
    return title_from_lead(blocks), "lead", blocks


def _headline(block: Block) -> bool:
    return block.kind in ("heading", "paragraph") and heading_like(block.text) \
        and not is_generic_heading(block.text) and len(block.text.split()) >= 3


def _same(a: str, b: str) -> bool:
    """Equal but for case, spacing and curly versus straight quotes."""
    def key(text: str) -> str:
        return " ".join(text.translate(_STRAIGHT).split()).casefold()
    return key(a) == key(b)


def title_from_lead(blocks: list[Block]) -> str:
    """A 10-120 character title from the first sentence of the lead paragraph (or the whole
    lead when that sentence is too short); "Untitled article" when the text gives none."""
    lead = next((b.text for b in blocks if b.kind == "paragraph"), None) \
        or next((b.text for b in blocks if b.kind != "table"), "")
    sentence = (split_sentences(lead) or [lead])[0]
    for text in (sentence, " ".join(lead.split())):
        title = _shorten(text.strip().strip("“”\"'"))
        if len(title) >= 10:
            return title
    return "Untitled article"


def _shorten(text: str) -> str:
    """The text without its full stop, or cut at a clause or word boundary with an ellipsis."""
    if len(text) <= 120:
        return text.rstrip(".").strip()
    cut = text[:110]
    comma = max(cut.rfind(", "), cut.rfind(" — "), cut.rfind("; "))
    title = cut[:comma] if comma >= 70 else cut[: cut.rfind(" ")]
    return title.rstrip(",;: ") + "…"
