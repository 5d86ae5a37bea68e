"""A synthetic corpus that looks like war reporting, deterministic by seed.

    python3 benchmarks/synthetic.py OUT_DIR --articles 1000 [--seed 7]

Each article is about 700 words: a lead, bare-line headings, bullets, a comparison table or a
region table, quotes with speakers (named, pronoun, unnamed), figures with hedges, variant
spellings and publisher boilerplate. Places and people come from the shipped gazetteer (a
few hundred of them), so entity pages grow the way they do in a real corpus.
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


class Writer:
    def __init__(self, vocab: dict[str, list[dict]], rng: random.Random):
        self.v, self.rng = vocab, rng
        self.cities = [c for c in vocab["city"] if c.get("parent")][:220]
        self.people = vocab["person"][:80]
        self.countries = vocab["country"][:60]

    def place(self) -> str:
        return spelling(self.rng.choice(self.cities), self.rng)

    def person(self) -> str:
        return spelling(self.rng.choice(self.people), self.rng)

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
            lambda: f"According to {self.person()}, the strikes on {self.place()} were meant to send a message to {r.choice(self.countries)['name']}.",
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
                f"{self.rng.choice(['Rail hub', 'River crossing', 'Supply road'])} |" for c in self.rng.sample(self.cities, 3)]
        return ["Region | Recent Activity | Strategic Importance |", "---|---|---|", *rows]

    def article(self, index: int) -> tuple[str, str]:
        r = self.rng
        place = self.place()
        title = f"Pressure builds around {place} as talks edge closer"
        lines = list(r.sample(BOILER, r.randint(0, 2)))
        lines += [self.paragraph(6), title, self.paragraph(7), "Key Points"]
        lines += [f"- {self.sentence()}" for _ in range(4)]
        lines += [self.paragraph(6), *(self.comparison_table() if index % 2 else self.region_table())]
        lines += ["What the sources say", *self.quote(), self.paragraph(7), "Outlook", self.paragraph(8)]
        return f"{index:06d}-{r.randint(0, 16 ** 6):06x}", "\n".join(lines) + "\n"


def make_corpus(out: Path, articles: int, seed: int = 7) -> int:
    """Write ``articles`` articles under ``out`` (in subfolders of 1,000); returns words written."""
    rng = random.Random(seed)
    writer = Writer(load_vocabulary(), rng)
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
    args = parser.parse_args()
    words = make_corpus(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles, {words} words, to {args.out}")


if __name__ == "__main__":
    main()
