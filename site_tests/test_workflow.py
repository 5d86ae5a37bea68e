"""The publishing workflow (.github/workflows/site.yml), read as GitHub reads it: its triggers,
its jobs, when it publishes, and that every command it runs exists in this project."""
from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
import tomllib
from functools import lru_cache

import pytest
import yaml

from sitebuild import ROOT, briefing

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
PUSH_MAIN = {"github.event_name": "push", "github.ref": "refs/heads/main"}
PUSH_OTHER = {"github.event_name": "push", "github.ref": "refs/heads/feature"}
PULL_REQUEST = {"github.event_name": "pull_request", "github.ref": "refs/pull/7/merge"}


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


# --- a small evaluator for the `if:` expressions the workflow uses -----------------------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<name>[A-Za-z_][\w.-]*))")


def evaluate(expression: str, context: dict[str, str]):
    """Evaluate a GitHub Actions expression made of names, 'strings', ==, !=, !, &&, || and
    parentheses; a name missing from ``context`` is null. Anything else is an error."""
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r} in {expression!r}")
        kind = match.lastgroup
        value = match.group(kind)
        tokens.append((kind, value[1:-1].replace("''", "'") if kind == "str" else value))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1

    def parse_or(i):
        value, i = parse_and(i)
        while i < len(tokens) and tokens[i] == ("op", "||"):
            right, i = parse_and(i + 1)
            value = value or right
        return value, i

    def parse_and(i):
        value, i = parse_compare(i)
        while i < len(tokens) and tokens[i] == ("op", "&&"):
            right, i = parse_compare(i + 1)
            value = value and right
        return value, i

    def parse_compare(i):
        value, i = parse_unary(i)
        while i < len(tokens) and tokens[i] in (("op", "=="), ("op", "!=")):
            op = tokens[i][1]
            right, i = parse_unary(i + 1)
            value = (value == right) if op == "==" else (value != right)
        return value, i

    def parse_unary(i):
        kind, value = tokens[i]
        if (kind, value) == ("op", "!"):
            operand, i = parse_unary(i + 1)
            return not operand, i
        if (kind, value) == ("op", "("):
            inner, i = parse_or(i + 1)
            assert tokens[i] == ("op", ")"), expression
            return inner, i + 1
        if kind == "str":
            return value, i + 1
        if kind == "name":
            if value in ("true", "false"):
                return value == "true", i + 1
            return context.get(value), i + 1
        raise ValueError(f"unexpected {value!r} in {expression!r}")

    value, end = parse_or(0)
    assert end == len(tokens), f"trailing tokens in {expression!r}"
    return value


def runs(job_or_step: dict, context: dict[str, str]) -> bool:
    condition = job_or_step.get("if")
    return True if condition is None else bool(evaluate(str(condition), context))


def test_the_evaluator_reads_conditions_as_github_does():
    assert evaluate("github.event_name == 'push' && github.ref == 'refs/heads/main'", PUSH_MAIN)
    assert not evaluate("github.event_name == 'push' && github.ref == 'refs/heads/main'", PULL_REQUEST)
    assert evaluate("${{ !(github.ref != 'refs/heads/main') }}", PUSH_MAIN)
    assert evaluate("steps.pages.outcome == 'success' || github.ref == 'x'", {"steps.pages.outcome": "success"})
    assert not evaluate("steps.pages.outcome == 'success'", {})


# --- triggers and jobs ------------------------------------------------------------------------

def test_triggers_are_pushes_to_main_and_pull_requests(workflow):
    on = workflow["on"]
    assert set(on) >= {"push", "pull_request"}, on
    assert on["push"]["branches"] == ["main"]


def _steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).split("@")[0] == action]


def test_every_action_is_pinned_to_a_release(workflow):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*", step["uses"]), (name, step["uses"])


def test_the_build_job_checks_and_builds_strictly_on_every_trigger(workflow):
    build = workflow["jobs"]["build"]
    for context in (PUSH_MAIN, PULL_REQUEST):
        assert runs(build, context)
        commands = [s["run"] for s in build["steps"] if "run" in s and runs(s, context)]
        assert any(re.search(r"\bbriefing check\b", c) for c in commands), commands
        assert any(re.search(r"\bbriefing build\b.*--strict", c) for c in commands), commands
        order = [c for c in commands if re.search(r"\bbriefing (check|build)\b", c)]
        assert "check" in order[0], "the content is checked before the site is built"


def test_the_build_job_keeps_the_cache_between_runs(workflow):
    """A commit's build restores the last run's analyses and pages (any earlier key) before it
    builds, and saves its own under a key of its own."""
    from generator.cache import DEFAULT_DIR
    steps = workflow["jobs"]["build"]["steps"]
    cached = _steps_using(workflow["jobs"]["build"], "actions/cache")
    assert len(cached) == 1
    settings = cached[0]["with"]
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert settings["path"].split() == [DEFAULT_DIR, config["docs_dir"]]  # the pages generated: rendered again only when changed
    assert "github.sha" in settings["key"] and settings["key"].startswith(settings["restore-keys"])
    build = next(i for i, s in enumerate(steps) if re.search(r"\bbriefing build\b", s.get("run", "")))
    assert steps.index(cached[0]) < build


def test_zensical_builds_the_same_pages_on_every_trigger(workflow):
    job = workflow["jobs"]["zensical"]
    for context in (PUSH_MAIN, PULL_REQUEST):
        assert runs(job, context)
        commands = "\n".join(s["run"] for s in job["steps"] if "run" in s and runs(s, context))
        assert re.search(r"\bbriefing generate\b", commands)
        assert re.search(r"\bzensical build\b", commands)
    assert "zensical" not in (workflow["jobs"]["deploy"].get("needs") or []), \
        "publishing the MkDocs build does not wait for the Zensical one"


def test_publishing_happens_only_on_a_push_to_main(workflow):
    jobs = workflow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    upload = _steps_using(build, "actions/upload-pages-artifact")
    assert len(upload) == 1 and upload[0]["with"]["path"] == "site", "the MkDocs build in site/ is published"
    assert _steps_using(deploy, "actions/deploy-pages"), "deploy uses the artifact-based Pages action"
    assert _steps_using(build, "actions/configure-pages")
    assert runs(deploy, PUSH_MAIN) and runs(upload[0], PUSH_MAIN)
    for context in (PUSH_OTHER, PULL_REQUEST):
        assert not runs(deploy, context), context
        assert not runs(upload[0], context), context
    # Nothing else anywhere publishes or gets write access outside a push to main.
    for name, job in jobs.items():
        for step in job.get("steps", []):
            uses = str(step.get("uses", ""))
            if uses.startswith(("actions/deploy-pages", "actions/upload-pages-artifact", "peaceiris/")):
                assert not runs(job, PULL_REQUEST) or not runs(step, PULL_REQUEST), (name, uses)
        writes = {k for k, v in (job.get("permissions") or {}).items() if v == "write"}
        if writes:
            assert name == "deploy" and not runs(job, PULL_REQUEST), (name, writes)
    assert workflow.get("permissions") == {"contents": "read"}, "read-only unless a job needs more"


def test_the_deploy_job_has_what_pages_requires(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" or deploy["needs"] == ["build"]
    assert deploy["permissions"]["pages"] == "write"
    assert deploy["permissions"]["id-token"] == "write"
    environment = deploy["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"


# --- the commands it runs exist ---------------------------------------------------------------

def _command_lines(script: str) -> list[list[str]]:
    """Each simple command of a `run:` script as words (shell loops and tests are skipped)."""
    commands = []
    script = script.replace("\\\n", " ")
    for line in script.splitlines():
        for part in re.split(r"&&|\|\||;|\|", line):
            try:
                words = shlex.split(part, comments=True)
            except ValueError:
                continue
            while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):  # VAR=value command
                words = words[1:]
            if words:
                commands.append(words)
    return commands


def _all_commands(workflow) -> list[list[str]]:
    commands = []
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if "run" in step:
                commands += _command_lines(step["run"])
    return commands


@lru_cache(maxsize=None)
def _briefing_help(*words: str) -> str:
    result = briefing(*words, "--help")
    assert result.returncode == 0, (words, result.stderr)
    return result.stdout


def _subcommands() -> set[str]:
    match = re.search(r"\{([a-z,-]+)\}", _briefing_help())
    assert match, _briefing_help()
    return set(match.group(1).split(","))


def test_every_briefing_command_and_option_exists(workflow):
    used = [c for c in _all_commands(workflow) if c[0] == "briefing"]
    assert {c[1] for c in used} >= {"check", "build", "generate"}
    for command in used:
        sub = command[1]
        assert sub in _subcommands(), f"`briefing {sub}` is not a command: {' '.join(command)}"
        options = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", _briefing_help(sub)))
        for word in command[2:]:
            if word.startswith("-"):
                assert word.split("=")[0] in options, f"`briefing {sub}` has no option {word}"


def test_every_python_module_it_runs_exists(workflow):
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"].get("optional-dependencies", {})
    for command in _all_commands(workflow):
        if command[0] not in ("python", "python3"):
            continue
        if "-m" in command:
            module = command[command.index("-m") + 1]
            assert module == "generator" or importlib.util.find_spec(module), f"no module {module}"
            if module == "generator":
                assert command[command.index("-m") + 2] in _subcommands()
            if module == "pip" and "install" in command:
                for word in command:
                    for extra in re.findall(r"^\.\[([\w,-]+)\]$", word):
                        assert set(extra.split(",")) <= set(extras), f"pyproject has no extra {extra}"
        elif "-c" in command:
            compile(command[command.index("-c") + 1], "<workflow>", "exec")  # at least valid Python


def test_every_zensical_command_exists(workflow):
    used = [c for c in _all_commands(workflow) if c[0] == "zensical"]
    assert used, "the workflow builds with Zensical"
    if importlib.util.find_spec("zensical") is None:
        pytest.skip("zensical is not installed (pip install -e '.[test]')")
    for command in used:
        sub = [w for w in command[1:] if not w.startswith("-")][0]
        result = subprocess.run([sys.executable, "-m", "zensical", sub, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, f"`zensical {sub}` is not a command: {result.stderr}"
        for word in command[2:]:
            if word.startswith("-"):
                assert word.split("=")[0] in result.stdout, f"`zensical {sub}` has no option {word}"


def test_the_pages_it_checks_after_zensical_are_pages_the_site_has(workflow, tmp_path):
    script = "\n".join(s["run"] for s in workflow["jobs"]["zensical"]["steps"] if "run" in s)
    pages = re.findall(r"([\w/-]*index\.html)", script)
    assert "index.html" in pages and "matrices/united-states-vs-russia/index.html" in pages, pages
    result = briefing("generate", "--content", str(ROOT / "content"), "--docs-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for page in pages:
        folder = page.removesuffix("index.html").rstrip("/")
        sources = [tmp_path / (folder + ".md"), tmp_path / folder / "index.md"] if folder else [tmp_path / "index.md"]
        assert any(p.is_file() for p in sources), f"no generated page becomes {page}"
