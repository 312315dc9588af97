"""The docs are executed: their console examples run against a fixture project, their paths exist.

A ```console block in README.md or any docs/*.md is a transcript: each line
starting with "$ " is a command, run with bash in a fresh copy of the frozen
North Korea project (a git repository, with factsheet on PATH and as
.venv/bin/factsheet), and the lines after it are its output (standard output
and standard error, as a terminal shows them). In the expected output, a line
"..." stands for any number of lines and "..." inside a line for any text. A
command shown without output is run, and must be found and run. Other blocks
(```sh, ```yaml, plain ```) are illustrations and are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import NK_PROJECT, REPO, required_tool

DOCS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Example:
    """One command of a console block and the output the doc shows for it."""

    doc: str
    line: int
    command: str
    output: tuple[str, ...]


def examples(path: Path) -> list[Example]:
    """Return the commands of the console blocks of ``path``, in order."""
    found: list[Example] = []
    for block in _console_blocks_only(path):
        indent = min((len(l) - len(l.lstrip()) for _, l in block if l.strip()), default=0)
        current: tuple[int, str] | None = None
        output: list[str] = []
        for number, raw in block:
            line = raw[indent:]
            if line.startswith("$ "):
                if current:
                    found.append(Example(path.relative_to(REPO).as_posix(), *current, tuple(output)))
                current, output = (number, line[2:]), []
            elif current:
                output.append(line.rstrip())
        if current:
            found.append(Example(path.relative_to(REPO).as_posix(), *current, tuple(output)))
    return found


def _console_blocks_only(path: Path) -> list[list[tuple[int, str]]]:
    """Return the ```console blocks of ``path``; other fenced blocks are passed over whole."""
    blocks: list[list[tuple[int, str]]] = []
    inside: str | None = None  # the fence of the block we are in, if any
    block: list[tuple[int, str]] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        stripped = line.strip()
        if inside is None:
            match = re.match(r"(`{3,}|~{3,})\s*(\S*)", stripped)
            if match:
                inside = match.group(1)
                block = [] if match.group(2) == "console" else None
            continue
        if stripped == inside:
            if block is not None:
                blocks.append(block)
            inside, block = None, None
        elif block is not None:
            block.append((number, line))
    return blocks


ALL = [e for doc in DOCS for e in examples(doc)]


def _matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Return True when ``actual`` lines match ``expected``, where "..." stands for any lines or text."""
    pattern = ""
    for line in expected:
        if line.strip() == "...":
            pattern += r"(?:.*\n)*?"
        else:
            pattern += ".*?".join(re.escape(part) for part in line.split("...")) + r"\n"
    return re.fullmatch(pattern, "".join(f"{l}\n" for l in actual)) is not None


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """Return a function giving a fresh fixture project per doc."""
    required_tool("git", "the docs show git commands")

    def fresh(doc: str) -> Path:
        root = tmp_path_factory.mktemp(re.sub(r"\W", "-", doc)) / "project"
        for name in ("seeds", "templates", "factsheets"):
            shutil.copytree(NK_PROJECT / name, root / name)
        (root / ".venv").symlink_to(Path(sys.prefix))
        (root / ".gitignore").write_text(".venv\nbuild/\nexport/\n", encoding="utf-8")
        env = _env()
        for args in (
            ["init", "-q", "-b", "main"],
            ["add", "-A"],
            ["commit", "-qm", "the sheet as published"],
        ):
            subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
        return root

    return fresh


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FACTSHEET_ROOT", "VIRTUAL_ENV")}
    env |= {"PATH": f"{BIN}{os.pathsep}{env['PATH']}", "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    env |= {"GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org", "GIT_PAGER": "cat"}
    env |= {"GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.org", "COLUMNS": "80"}
    return env


@pytest.mark.parametrize("doc", sorted({e.doc for e in ALL}))
def test_console_examples_print_what_the_doc_shows(doc, sandbox):
    project = sandbox(doc)
    for example in (e for e in ALL if e.doc == doc):
        done = subprocess.run(
            ["bash", "-c", example.command],
            cwd=project,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        where = f"{example.doc}:{example.line}: $ {example.command}"
        assert done.returncode not in (126, 127), f"{where}\n{done.stdout}"
        if example.output:
            actual = [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")] if done.stdout else []
            assert _matches(example.output, actual), (
                f"{where}\nthe doc shows:\n" + "\n".join(example.output) + "\nit prints:\n" + done.stdout
            )


def test_the_docs_hold_console_examples():
    assert {"README.md", "docs/diff.md"} <= {e.doc for e in ALL}


def test_the_matcher_reads_ellipses():
    assert _matches(("a ... c",), ["a b c"]) and not _matches(("a ... c",), ["a b d"])
    assert _matches(("x", "...", "z"), ["x", "1", "2", "z"]) and _matches(("x", "...", "z"), ["x", "z"])
    assert not _matches(("x",), ["x", "y"])


#: Paths in the repository that docs name in `code`; output folders and examples of sheets are not.
_REPO_PATH = re.compile(
    r"`((?:src|tests|docs|examples|schema|templates|benchmarks|\.ci)/[\w./-]*|[\w.-]+\.(?:toml|yml|yaml|md))`"
)


def _named_paths(doc: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(doc.read_text(encoding="utf-8").split("\n"), 1):
        for match in _REPO_PATH.finditer(line):
            path = match.group(1)
            if any(ch in path for ch in "*<>…") or re.search(r"[A-Z]{3,}", path):
                continue  # a pattern or a placeholder (templates/NAME.xml.j2), not a path
            out.append((number, path))
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_path_a_doc_names_exists(doc):
    top_level = {"pyproject.toml", "action.yml", ".pre-commit-hooks.yaml", "README.md"}
    to_write = {"templates/onepage.xml.j2"}  # the worked example's file, which the reader writes
    missing = []
    for number, path in _named_paths(doc):
        if "/" not in path and path not in top_level and not (REPO / "docs" / path).exists():
            continue  # a file name alone (catalog.yaml, settings.json) is not a repository path
        where = REPO / path if "/" in path or path in top_level else REPO / "docs" / path
        if not where.exists() and path not in to_write:
            missing.append(f"{doc.relative_to(REPO)}:{number}: {path}")
    assert missing == []


def test_the_path_check_sees_the_paths():
    named = {p for doc in DOCS for _, p in _named_paths(doc)}
    assert {"src/factsheet/content/figures.py", "action.yml", "pyproject.toml"} <= named


@pytest.mark.parametrize("catalog, doc", [(False, "docs/format.md"), (True, "docs/catalog-format.md")])
def test_the_field_references_are_made_from_the_format_s_declaration(catalog, doc):
    from factsheet.sources import schema
    from factsheet.sources.fieldref import reference

    declared = schema.json_schema(schema.CATALOG if catalog else schema.SHEET, "x")
    title = "The seed catalog's fields" if catalog else "The fact sheet's fields"
    assert (REPO / doc).read_text(encoding="utf-8") == reference(declared, title), (
        f"{doc} differs from the declaration: run 'factsheet schema {'--catalog ' * catalog}--markdown > {doc}'"
    )


def _used_fields(value, path: str = "") -> set[str]:
    """Return the field paths a YAML value uses, written as the reference writes them."""
    if isinstance(value, dict):
        out = set()
        for key, child in value.items():
            field = f"{path}.{key}" if path else str(key)
            out |= {field} | _used_fields(child, field)
        return out
    if isinstance(value, list):
        return set().union(*(_used_fields(item, f"{path}[]") for item in value)) if value else set()
    return set()


@pytest.mark.parametrize(
    "folder, doc", [("factsheets", "docs/format.md"), ("seeds", "docs/catalog-format.md")]
)
def test_every_field_the_live_files_use_is_documented(folder, doc):
    import yaml

    documented = set(re.findall(r"^\| `([^`]+)` \|", (REPO / doc).read_text(encoding="utf-8"), re.M))
    files = (
        sorted((REPO / folder).glob("*.yaml"))
        if folder == "factsheets"
        else [REPO / "seeds" / "catalog.yaml"]
    )
    assert files
    for path in files:
        used = _used_fields(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert used - documented == set(), path.name


def test_the_readme_links_every_doc():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    unlinked = [p.name for p in (REPO / "docs").glob("*.md") if f"](docs/{p.name})" not in readme]
    assert unlinked == []
