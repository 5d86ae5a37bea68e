"""A synthetic corpus that looks like war reporting, deterministic by seed.

    python3 benchmarks/synthetic.py OUT_DIR --articles 1000 [--seed 7] [--spread cast|uniform]

Each article is about 700 words: a lead, bare-line headings, bullets, a comparison table or a
region table, quotes with speakers (named, pronoun, unnamed), figures with hedges, variant
spellings and publisher boilerplate. Places and people come from the shipped gazetteer (a
few hundred of them).

How they are spread decides how entity pages grow. A real article keeps coming back to a few
places and people (the five articles of ../shared/corpus name 8-20 distinct ones, 13 on
average, about 75 mentions each), and a few of them are in most articles of a corpus while
most are in few. So by default (``cast``) each article has a cast of its own: 5-9 places, 2-4
people and 1-2 countries, drawn with a popularity that falls as 1/rank (a Zipf law, over an
order shuffled by the seed), and its sentences name the cast, and now and then (1 in 20) any
place at all: about 20 distinct names an article (14-28 in the first 1,000; 122 mentions per
1,000 words, as before). ``uniform`` draws every name from the whole vocabulary, as this maker
did before (the same corpus for the same seed): about 66 distinct names an article, each in
about as many articles as any other.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

GAZETTEER = Path(__file__).resolve().parents[1] / "generator" / "data" / "gazetteer.yaml"
FIRST = "Anna Marta Olena Iryna Sofia Petra Jonas Tomas Pavel Andrii Mikael Lukas Daniel Hugo Ines Clara".split()
LAST = "Kowalski Lindqvist Moreau Hrytsenko Novak Berger Castillo Okafor Tanaka Jansen Horvat Dubois Meyer Varga".split()
ROLES = ["a military analyst at the {org}", "a researcher with the {org}", "head of the {org}",
         "a former officer who now advises the {org}", "a sanctions expert at the {org}"]
ORGS = ["Baltic Defence Forum", "Centre for Eastern Studies Review", "Harbour Security Institute",
        "Northern Policy Lab", "Danube Strategy Group", "Frontier Research Council"]
UNITS = ["troops", "soldiers", "drones", "missiles", "shells", "tanks", "civilians", "prisoners"]
HEDGES = ["some", "around", "about", "more than", "up to", "nearly", "an estimated", ""]
VERBS = ["said", "told reporters", "said in an interview", "wrote on social media", "told a briefing"]
TOPICS = [("Territorial Integrity", "Ukraine's Sovereignty"), ("NATO Expansion", "NATO enlargement"),
          ("Sanctions", "Sanctions Relief"), ("Security Guarantees", "Security Assurances"),
          ("Ceasefire Terms", "Truce Conditions"), ("Energy", "Gas Transit")]
STANCES = ["supports", "rejects", "demands", "questions", "conditions", "delays", "welcomes", "opposes"]
OBJECTS = ["a full withdrawal", "a monitored freeze", "binding guarantees", "phased relief", "a neutral status",
           "international observers", "new elections", "a prisoner exchange"]
BOILER = ["Listen to article", "|", "Read also: More coverage from the front line",
          "Note: Every piece of content is checked by our editors before publication."]


def load_vocabulary() -> dict[str, list[dict]]:
    entries = yaml.safe_load(GAZETTEER.read_text("utf-8"))
    vocab: dict[str, list[dict]] = {"city": [], "oblast": [], "person": [], "country": []}
    for e in entries:
        if e.get("kind") in vocab:
            vocab[e["kind"]].append(e)
    return vocab


def spelling(entry: dict, rng: random.Random) -> str:
    """The name, or now and then one of its aliases (transliterations, misspellings)."""
    aliases = [a for a in entry.get("aliases", []) if len(a) > 3]
    return rng.choice(aliases) if aliases and rng.random() < 0.2 else entry["name"]


SPREADS = ("cast", "uniform")
OFF_CAST = 0.05  # the share of place names drawn from the whole vocabulary, not the cast


class Writer:
    def __init__(self, vocab: dict[str, list[dict]], rng: random.Random, spread: str = "cast"):
        self.v, self.rng, self.spread = vocab, rng, spread
        self.cities = [c for c in vocab["city"] if c.get("parent")][:220]
        self.people = vocab["person"][:80]
        self.countries = vocab["country"][:60]
        self.cast = {"cities": self.cities, "people": self.people, "countries": self.countries}
        if spread == "cast":
            self.weights = {kind: popularity(len(entries), rng) for kind, entries in self.cast.items()}

    def new_cast(self) -> None:
        """The places, people and countries the next article is about (``cast`` spread only)."""
        if self.spread == "cast":
            r = self.rng
            sizes = {"cities": r.randint(5, 9), "people": r.randint(2, 4), "countries": r.randint(1, 2)}
            self.cast = {kind: self.draw(kind, size) for kind, size in sizes.items()}

    def draw(self, kind: str, size: int) -> list[dict]:
        entries, weights, chosen = getattr(self, kind), self.weights[kind], []
        while len(chosen) < size:
            entry = self.rng.choices(entries, weights)[0]
            if entry not in chosen:
                chosen.append(entry)
        return chosen

    def place(self) -> str:
        everywhere = self.spread == "cast" and self.rng.random() < OFF_CAST
        return spelling(self.rng.choice(self.cities if everywhere else self.cast["cities"]), self.rng)

    def person(self) -> str:
        return spelling(self.rng.choice(self.cast["people"]), self.rng)

    def country(self) -> str:
        return self.rng.choice(self.cast["countries"])["name"]

    def number(self) -> str:
        n = self.rng.choice([120, 450, 900, 1200, 3000, 8000, 11000, 12000, 45000, 50000, 60000, 78000])
        hedge = self.rng.choice(HEDGES)
        return f"{hedge} {n:,} {self.rng.choice(UNITS)}".strip()

    def sentence(self) -> str:
        r = self.rng
        forms = [
            lambda: f"Fighting continued near {self.place()} as {r.choice(['Russian', 'Ukrainian'])} units pushed towards {self.place()}.",
            lambda: f"Officials in {self.place()} said {self.number()} had been moved to the area over the past week.",
            lambda: f"{self.person()} said on {r.choice(['Monday', 'Tuesday', 'Friday'])} that talks about {self.place()} would resume.",
            lambda: f"The General Staff reported that {self.number()} were lost near {self.place()} in {r.choice(['two', 'three', 'five'])} days.",
            lambda: f"Aid worth ${r.choice([125, 300, 425, 725])} million was announced after {self.person()} met counterparts.",
            lambda: f"Analysts expect the front around {self.place()} to shift before winter, while supply lines to {self.place()} remain exposed.",
            lambda: f"Residents of {self.place()} described long queues for water and repeated power cuts.",
            lambda: f"According to {self.person()}, the strikes on {self.place()} were meant to send a message to {self.country()}.",
        ]
        return r.choice(forms)()

    def paragraph(self, n: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(n))

    def quote(self) -> list[str]:
        r = self.rng
        name = f"{r.choice(FIRST)} {r.choice(LAST)}"
        role = r.choice(ROLES).format(org=r.choice(ORGS))
        first = f"“The pressure on {self.place()} is not going to ease soon,” said {name}, {role}."
        second = f"“We will see more of this before any talks begin,” she said, pointing to {self.place()}."
        unnamed = f"One drone operator near {self.place()} told reporters: “We sleep in two-hour shifts.”"
        return [first, second, unnamed]

    def comparison_table(self) -> list[str]:
        r = self.rng
        left, right = r.choice([("U.S. Position", "Russian Position"), ("Trump Administration", "Russian Government"),
                                ("Kyiv's View", "Moscow's View")])
        rows = [f"| {r.choice(t)} | {r.choice(STANCES).capitalize()} {r.choice(OBJECTS)} | "
                f"{r.choice(STANCES).capitalize()} {r.choice(OBJECTS)} |" for t in r.sample(TOPICS, 3)]
        return [f"| Issue | {left} | {right} |", "|---|---|---|", *rows]

    def region_table(self) -> list[str]:
        rows = [f"{c['name']} | {self.rng.choice(['Heavy shelling', 'Slow advance', 'Stable lines'])} | "
                f"{self.rng.choice(['Rail hub', 'River crossing', 'Supply road'])} |" for c in self.rng.sample(self.cast["cities"], 3)]
        return ["Region | Recent Activity | Strategic Importance |", "---|---|---|", *rows]

    def article(self, index: int) -> tuple[str, str]:
        r = self.rng
        self.new_cast()
        place = self.place()
        title = f"Pressure builds around {place} as talks edge closer"
        lines = list(r.sample(BOILER, r.randint(0, 2)))
        lines += [self.paragraph(6), title, self.paragraph(7), "Key Points"]
        lines += [f"- {self.sentence()}" for _ in range(4)]
        lines += [self.paragraph(6), *(self.comparison_table() if index % 2 else self.region_table())]
        lines += ["What the sources say", *self.quote(), self.paragraph(7), "Outlook", self.paragraph(8)]
        return f"{index:06d}-{r.randint(0, 16 ** 6):06x}", "\n".join(lines) + "\n"


def popularity(size: int, rng: random.Random) -> list[float]:
    """Weights for ``size`` entries: 1/rank, the ranks in an order shuffled by ``rng``."""
    ranks = list(range(1, size + 1))
    rng.shuffle(ranks)
    return [1 / rank for rank in ranks]


def make_corpus(out: Path, articles: int, seed: int = 7, spread: str = "cast") -> int:
    """Write ``articles`` articles under ``out`` (in subfolders of 1,000); returns words written."""
    if spread not in SPREADS:
        raise ValueError(f"spread is one of {', '.join(SPREADS)}, not {spread!r}")
    rng = random.Random(seed)
    writer = Writer(load_vocabulary(), rng, spread)
    words = 0
    for i in range(articles):
        name, text = writer.article(i)
        folder = out / f"batch-{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 3 == 0:
            text = f"---\ntitle: \"Report {i}\"\nsource: Wire {i % 7}\ndate: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}\n---\n" + text
            (folder / f"{name}.md").write_text(text, "utf-8")
        else:
            (folder / f"{name}.txt").write_text(text, "utf-8")
        words += len(text.split())
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--spread", choices=SPREADS, default="cast",
                        help="names from a cast per article (default) or from the whole vocabulary")
    args = parser.parse_args()
    words = make_corpus(args.out, args.articles, args.seed, args.spread)
    print(f"wrote {args.articles} articles, {words} words, to {args.out}")


if __name__ == "__main__":
    main()
