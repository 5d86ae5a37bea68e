"""The gazetteer: the shipped data and editors' content/entities.yaml."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

import pytest
import yaml

from generator.checking import check_all
from generator.gazetteer import ACTOR_KINDS, REGION_KINDS, load_gazetteer, shipped_entities

from conftest import write_content

UKRAINIAN_OBLASTS = """cherkasy chernihiv chernivtsi dnipropetrovsk donetsk ivano-frankivsk kharkiv kherson
khmelnytskyi kirovohrad kyiv luhansk lviv mykolaiv odesa poltava rivne sumy ternopil vinnytsia volyn
zakarpattia zaporizhzhia zhytomyr""".split()
REQUIRED = """crimea donbas kursk-oblast belgorod-oblast bryansk-oblast kyiv kharkiv kherson zaporizhzhia donetsk
luhansk pokrovsk toretsk kupiansk sudzha kursk belgorod bryansk black-sea sea-of-azov russia ukraine
united-states nato european-union united-nations institute-for-the-study-of-war volodymyr-zelensky
vladimir-putin donald-trump""".split()
BODY = "A headline about the port today\n\nThe port was quiet.\n"


@pytest.fixture(scope="module")
def shipped():
    return shipped_entities()


@lru_cache(maxsize=1)
def raw_entries() -> list[dict]:
    text = resources.files("generator.data").joinpath("gazetteer.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def check_problems(tmp_path, entities_yaml: str | bytes) -> list[str]:
    write_content(tmp_path, {"entities.yaml": entities_yaml, "a.txt": BODY})
    _, _, diagnostics = check_all(tmp_path)
    return [str(d) for d in diagnostics]


# --- shipped data ----------------------------------------------------------------------

def test_shipped_ids_are_unique():
    counts = Counter(e["id"] for e in raw_entries())
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_ukrainian_oblast(shipped):
    for name in UKRAINIAN_OBLASTS:
        entity = shipped[f"{name}-oblast"]
        assert (entity.type, entity.kind, entity.parent) == ("region", "oblast", "ukraine")


@pytest.mark.parametrize("entity_id", REQUIRED)
def test_required_entries(shipped, entity_id):
    assert entity_id in shipped


def test_kinds_match_types(shipped):
    for entity in shipped.values():
        assert entity.kind in (REGION_KINDS if entity.type == "region" else ACTOR_KINDS), entity.id


@pytest.mark.parametrize("entity_id, aliases", [
    ("volodymyr-zelensky", ["Zelenskyy", "Selenskyj", "Zelenskiy"]),
    ("kyiv", ["Kiev", "Kiew"]),
    ("kherson", ["Cherson"]),
    ("kursk", ["Cursk"]),
    ("kupiansk", ["Kupjansk", "Kupyansk"]),
    ("united-states", ["U.S.", "US"]),
])
def test_issue_aliases(shipped, entity_id, aliases):
    assert set(aliases) <= set(shipped[entity_id].aliases)


def test_shared_aliases_can_be_told_apart():
    """An alias of two entries is resolved by context words (or region words for city/oblast)."""
    owners: dict[str, set[str]] = {}
    entries = raw_entries()
    for e in entries:
        for name in (e["name"], *e.get("aliases", [])):
            owners.setdefault(name.lower(), set()).add(e["id"])
    by_id = {e["id"]: e for e in entries}
    for name, ids in owners.items():
        if len(ids) > 1:
            assert sum(bool(by_id[i].get("context")) for i in ids) >= len(ids) - 1, (name, ids)


def test_without_editor_file(tmp_path):
    entities, problems = load_gazetteer(tmp_path)
    assert problems == [] and len(entities) == len(shipped_entities())


# --- editors' entities.yaml: errors with file:line ------------------------------------

def test_unknown_key_did_you_mean(tmp_path):
    text = "- id: harbour-watch\n  name: Harbour Watch\n  type: actor\n  kind: organisation\n  alias: [HW]\n"
    assert check_problems(tmp_path, text) == ["entities.yaml:5: unknown key 'alias' (did you mean 'aliases'?)"]


def test_bad_kind_did_you_mean(tmp_path):
    text = "- id: harbour-watch\n  name: Harbour Watch\n  type: actor\n  kind: organization\n"
    assert check_problems(tmp_path, text) == [
        "entities.yaml:4: kind of an actor must be one of person, state, organisation, media, "
        "got 'organization' (did you mean 'organisation'?)"]


def test_bad_kind_of_region(tmp_path):
    text = "- id: pivdenne\n  name: Pivdenne\n  type: region\n  kind: citty\n"
    assert check_problems(tmp_path, text) == [
        "entities.yaml:4: kind of a region must be one of country, oblast, city, sea, area, "
        "got 'citty' (did you mean 'city'?)"]


def test_bad_kind_when_extending_a_known_entry(tmp_path):
    assert check_problems(tmp_path, "- id: kyiv\n  kind: town\n") == [
        "entities.yaml:2: kind of a region must be one of country, oblast, city, sea, area, got 'town'"]


def test_bad_type(tmp_path):
    text = "- id: pivdenne\n  name: Pivdenne\n  type: place\n  kind: city\n"
    assert check_problems(tmp_path, text) == ["entities.yaml:3: type must be 'region' or 'actor', got 'place'"]


def test_unknown_parent_did_you_mean(tmp_path):
    text = "- id: pivdenne\n  name: Pivdenne\n  type: region\n  kind: city\n  parent: odesa-oblst\n"
    assert check_problems(tmp_path, text) == [
        "entities.yaml:5: 'pivdenne': parent 'odesa-oblst' is not a known entity (did you mean 'odesa-oblast'?)"]


def test_unknown_capital_of_on_known_entry(tmp_path):
    assert check_problems(tmp_path, "- id: kyiv\n  capital_of: ukrane\n") == [
        "entities.yaml:2: 'kyiv': capital_of 'ukrane' is not a known entity (did you mean 'ukraine'?)"]


def test_new_entity_needs_name_type_kind(tmp_path):
    assert check_problems(tmp_path, "- id: new-place\n  type: region\n") == [
        "entities.yaml:1: new entity 'new-place' needs 'kind'",
        "entities.yaml:1: new entity 'new-place' needs 'name'",
    ]


def test_id_must_be_a_slug(tmp_path):
    assert check_problems(tmp_path, "- {id: Harbour Watch, name: Harbour Watch, type: actor, kind: media}\n") == [
        "entities.yaml:1: 'id' must be a slug (lower-case letters, digits, hyphens), got 'Harbour Watch'"]


def test_aliases_must_be_a_list(tmp_path):
    assert check_problems(tmp_path, "- id: kyiv\n  aliases: Kyjiw\n") == [
        "entities.yaml:2: 'aliases' must be a list of names"]


def test_must_be_a_list(tmp_path):
    assert check_problems(tmp_path, "kyiv: [Kyjiw]\n") == ["entities.yaml:1: must be a list of entity entries"]


def test_malformed_yaml_has_line_and_column(tmp_path):
    assert check_problems(tmp_path, "- id: kyiv\n  aliases: [Kyjiw\n") == [
        "entities.yaml:3:1: malformed YAML: expected ',' or ']', but got '<stream end>'"]


def test_cp1252_entities_file_is_read_with_warning(tmp_path):
    text = "- id: kyiv\n  aliases: [Ky\u00efv]\n".encode("cp1252")
    assert check_problems(tmp_path, text) == ["entities.yaml:2: warning: not valid UTF-8; read as cp1252"]
    entities, _ = load_gazetteer(tmp_path)
    assert "Ky\u00efv" in next(e for e in entities if e.id == "kyiv").aliases


def test_every_error_is_reported_at_once(tmp_path):
    text = ("- id: a-one\n  name: A\n  type: actor\n  kind: persn\n"
            "- id: b-two\n  name: B\n  type: region\n  kind: city\n  parent: nowhere-at-all\n"
            "- id: kyiv\n  demonym: [Kyivan]\n")
    assert check_problems(tmp_path, text) == [
        "entities.yaml:4: kind of an actor must be one of person, state, organisation, media, "
        "got 'persn' (did you mean 'person'?)",
        "entities.yaml:9: 'b-two': parent 'nowhere-at-all' is not a known entity",
        "entities.yaml:11: unknown key 'demonym' (did you mean 'demonyms'?)",
    ]
