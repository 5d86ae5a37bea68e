"""The typed, frozen model of a whole corpus.

Everything downstream (export, page planning, rendering) reads only these types. They are
built once by :func:`generator.corpus.build_corpus` and never modified: every collection is a
tuple, every record a frozen dataclass or (for the numerous kinds, ``record``) a named tuple.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list", "table"]
EntityType = Literal["region", "actor"]
TableKind = Literal["position-comparison", "other"]
QuoteKind = Literal["full", "partial", "scare"]


def record(cls):
    """An immutable record for the kinds of which a corpus holds hundreds of thousands
    (mentions, sentences, blocks, figures and quotes: 1.6 million at 10,000 articles): a tuple
    of its field values with a name for each (``collections.namedtuple``) and the class's own
    methods and properties. Reading one back from the cache is one call into C
    (``tuple.__new__``), where a frozen dataclass ran its Python ``__init__`` and set each field
    through ``object.__setattr__``: the 10,000 analyses of the benchmark load in a third of the
    time. Like a frozen dataclass with slots it has no instance dictionary, refuses new values
    (``AttributeError``), and its repr is ``Kind(field=value, ...)``; unlike one, it compares
    equal to a tuple of the same values (no code compares records of two kinds)."""
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults = tuple(cls.__dict__[n] for n in names if n in cls.__dict__)
    base = namedtuple(cls.__name__, names, defaults=defaults, module=cls.__module__)
    own = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    made = type(cls.__name__, (base,), {**own, "__slots__": (), "__reduce__": _reduce_record})
    made.__qualname__ = cls.__qualname__
    return made


def _reduce_record(self):
    """Pickled as its class and values, read back by ``tuple.__new__`` (no Python frame)."""
    return tuple.__new__, (type(self), tuple(self))


def paragraph_anchor(block: int) -> str:
    """The HTML id of an article's block ``block`` (0-based) on its page: what citations link to."""
    return f"p{block + 1}"


@record
class Block:
    """A structural unit of an article: heading, paragraph, bullet list or table."""

    index: int
    kind: BlockKind
    line: int  # 1-based line of the block's first line in the source file
    end_line: int
    text: str  # heading/paragraph text; list items joined by newlines; table source lines
    items: tuple[str, ...] = ()  # list items (without the bullet)
    item_lines: tuple[int, ...] = ()

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.index)


@record
class Sentence:
    """A sentence of a paragraph or list item, a heading, or one table row."""

    index: int  # position in the article's sentence list
    block: int  # index of the block it belongs to
    line: int
    text: str


@dataclass(frozen=True)
class Table:
    index: int  # 0-based position among the article's tables
    block: int
    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_lines: tuple[int, ...]
    kind: TableKind = "other"
    column_actors: tuple[tuple[str, str], ...] = ()  # (header cell, entity id)
    row_entities: tuple[tuple[int, str], ...] = ()  # (row index, region id) for region-keyed tables


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: EntityType
    kind: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    parent: str | None = None
    country: str | None = None
    capital_of: str | None = None
    role: str | None = None
    context: tuple[str, ...] = ()
    exact_case: tuple[str, ...] = ()
    origin: str = "gazetteer"  # gazetteer | <path of content/entities.yaml>:<line> | extracted

    @property
    def is_actor(self) -> bool:
        """States act as well as being places; persons, organisations and media are actors."""
        return self.type == "actor" or self.kind == "country"


@record
class Mention:
    entity: str
    article: str
    block: int
    sentence: int
    line: int
    surface: str  # the text as written
    start: int  # offset of the surface in the sentence text
    end: int
    form: str = "name"  # name | demonym | metonym (a capital standing for its state)


@record
class Quote:
    article: str
    block: int
    sentence: int
    line: int
    text: str
    speaker: str | None  # entity id
    speaker_label: str | None = None  # as written ("One Ukrainian battalion commander")
    kind: QuoteKind = "full"


@record
class Figure:
    article: str
    block: int
    sentence: int
    line: int
    text: str  # the figure as written with its hedge and noun ("some 45,000 troops")
    value: float | int | None
    unit: str  # counted noun or unit: troops, soldiers, km, percent, USD ...
    qualifier: str | None = None  # around, some, up to, more than ...
    actor: str | None = None
    region: str | None = None
    per: str | None = None  # a rate: "1,000 troops daily" is per "day"
    measure: str | None = None  # "losses", "captured"; for an amount or share, what it is of ("package")


@dataclass(frozen=True)
class Conflict:
    id: str  # a slug of what is counted, where and by whom: the last part of its page's path
    topic: str
    unit: str
    actor: str | None
    region: str | None
    claims: tuple[Figure, ...]


@dataclass(frozen=True)
class ArticleMeta:
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    language: str | None = None


@dataclass(frozen=True)
class Article:
    id: str
    source: str  # path relative to the content folder, with forward slashes
    meta: ArticleMeta
    title: str
    title_origin: Literal["front-matter", "headline", "lead", "override"]
    language: str
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    tables: tuple[Table, ...]
    boilerplate: tuple[tuple[int, str], ...] = ()  # (line, text) removed as publisher chrome
    entities: tuple[str, ...] = ()  # linked entity ids, first-mention order
    words: int = 0
    # Each sentence's worth as a summary sentence (``summaries.sentence_scores``), None outside
    # prose: made with the analysis, so that a page summing up an entity named in thousands of
    # articles looks its candidates up instead of scoring each again.
    scores: tuple[float | None, ...] = ()

    def block_of_line(self, line: int) -> Block | None:
        for block in self.blocks:
            if block.line <= line <= block.end_line:
                return block
        return None


@dataclass(frozen=True)
class MatrixCell:
    text: str
    article: str
    table: int
    line: int
    column: str  # the header cell as written
    row_label: str  # the row label as written


@dataclass(frozen=True)
class MatrixRow:
    topic: str
    labels: tuple[str, ...]  # every source label merged into this row
    cells: tuple[tuple[str, tuple[MatrixCell, ...]], ...]  # (actor id, cells)
    merge_reason: str = "same label"

    def cells_for(self, actor: str) -> tuple[MatrixCell, ...]:
        return dict(self.cells).get(actor, ())


@dataclass(frozen=True)
class Matrix:
    id: str
    title: str
    actors: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    sources: tuple[tuple[str, int], ...]  # (article id, table index)


@dataclass(frozen=True)
class Candidate:
    """A capitalised name that looks like a person or place but links to nothing."""

    name: str
    count: int
    places: tuple[tuple[str, int], ...]  # (source path, line)


@dataclass(frozen=True)
class Corpus:
    content_dir: str
    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]  # every entity mentioned at least once, sorted by id
    mentions: tuple[Mention, ...]
    matrices: tuple[Matrix, ...]
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    warnings: tuple = field(default=())  # Diagnostics of severity "warning"
    syndicated: tuple[tuple[str, ...], ...] = ()  # copies of one story: article ids, the standing one first

    def article(self, article_id: str) -> Article:
        return self._articles_by_id()[article_id]

    def entity(self, entity_id: str) -> Entity:
        return self._entities_by_id()[entity_id]

    def _articles_by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    def _entities_by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}
