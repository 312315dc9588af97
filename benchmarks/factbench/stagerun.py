"""One cold build, stage by stage: run as a fresh process, print each stage's seconds as JSON.

    python benchmarks/factbench/stagerun.py ROOT SHEET FORMATS TEMPLATE OUT

The build runs in this one process, in the pipeline's order, with no writer
process beside it, so every stage is seen; each named function is wrapped to
add its own time (without the wrapped functions it calls) to its stage.
Functions that a version of factsheet does not have are left out of the table.
"""

from __future__ import annotations

import time

STARTED = time.time()  # before any import: the parent subtracts its own clock to get the start-up

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

#: (module, function, stage) wrapped in this order; a stage's time excludes the stages it calls.
WRAPPED = (
    ("factsheet.sources.check", "load_file", "YAML load"),
    ("factsheet.sources.check", "check_sheet", "check (schema, references, quotes)"),
    ("factsheet.sources.check", "sheet_from_data", "model"),
    ("factsheet.sources.seeds", "SeedLibrary.of", "seed catalog read"),
    ("factsheet.sources.seeds", "SeedLibrary.article", "seed articles read"),
    ("factsheet.sources.history", "version", "sheet history (git)"),
    ("factsheet.pipeline.build", "glyph_problems", "glyph check"),
    ("factsheet.pipeline.build", "sheet_document", "content (figures, timeline, chart data)"),
    ("factsheet.content.publishing", "claim_reviews", "linked data (ClaimReview, CSL)"),
    ("factsheet.content.publishing", "csl_items", "linked data (ClaimReview, CSL)"),
    ("factsheet.pipeline.build", "with_provenance", "provenance record (git, hashes)"),
    ("factsheet.rendering.templating", "prepare", "template compile"),
    ("factsheet.rendering.templating", "render", "template render"),
    ("factsheet.rendering.markup", "parse", "markup → document"),
    ("factsheet.rendering.validate", "check_document", "document checked (every writer)"),
    ("factsheet.writers.pdf.typefaces", "register", "PDF fonts"),
    ("factsheet.writers.pdf.render", "render_pdf", "PDF layout and drawing"),
    ("factsheet.writers.pdf.render", "write_file", "PDF tagging, PDF/A, file written"),
    ("factsheet.writers.docx.writer", "write_docx", "DOCX writer"),
    ("factsheet.writers.docx.chart_picture", "chart_png", "DOCX chart picture"),
    ("factsheet.writers.html", "write_html", "HTML writer"),
    ("factsheet.writers.linkeddata", "write_claimreview", "ClaimReview, CSL writers"),
    ("factsheet.writers.linkeddata", "write_csl", "ClaimReview, CSL writers"),
)
#: The render and the writers run in a forked child held to the sheet's budget; what the fork and
#: the result's way back cost is this stage (the stages inside the child are reported as their own).
CHILD = "render process (fork, result pickled back)"


class Stages:
    """Exclusive seconds per stage, kept with a stack of the stages under way."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list] = []  # [stage, start, time spent in nested stages]

    def wrap(self, fn, stage: str):
        def timed(*args, **kwargs):
            self._stack.append([stage, time.perf_counter(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                name, start, nested = self._stack.pop()
                spent = time.perf_counter() - start
                self.seconds[name] = self.seconds.get(name, 0.0) + spent - nested
                if self._stack:
                    self._stack[-1][2] += spent

        timed.__wrapped__ = fn
        return timed

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def _patch(stages: Stages, module: str, attr: str, stage: str) -> None:
    try:
        owner = importlib.import_module(module)
    except ImportError:
        return
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part, None)
    original = getattr(owner, name, None) if owner is not None else None
    if not callable(original):
        return
    timed = stages.wrap(original, stage)
    setattr(owner, name, timed)
    # and wherever a module holds it under its own name (``from module import function``)
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith("factsheet"):
            for key, value in list(vars(loaded).items()):
                if value is original:
                    setattr(loaded, key, timed)


def _patch_child(stages: Stages) -> None:
    """Have the budget's child process send its stage times back with its result."""
    try:
        build = importlib.import_module("factsheet.pipeline.build")
    except ImportError:
        return
    original = getattr(build, "start_within", None)
    if not callable(original):
        return

    class Timed:
        """The child's result, with its stage times taken into this process's table."""

        def __init__(self, running, before, start):
            self.running, self.before, self.start = running, before, start

        def result(self):
            (result, seen), left = self.running.result()
            spent = time.perf_counter() - self.start
            stages.seconds.update(seen)
            inside = sum(seen.values()) - sum(self.before.values())
            stages.add(CHILD, spent - inside)
            if stages._stack:
                stages._stack[-1][2] += spent
            return result, left

        def cancel(self):
            self.running.cancel()

    def start_within(budget, work):
        before, start = dict(stages.seconds), time.perf_counter()
        return Timed(original(budget, lambda: (work(), dict(stages.seconds))), before, start)

    build.start_within = start_within


def _writer_modules(formats: list[str]) -> list[str]:
    from factsheet.writers import WRITERS

    return sorted({WRITERS[fmt][0] for fmt in formats if fmt in WRITERS})


def main(root: str, sheet: str, formats_arg: str, template: str, out: str) -> dict:
    stages = Stages()
    t0 = time.perf_counter()
    from factsheet.pipeline.build import Pipeline
    from factsheet.project import Project
    from factsheet.sources.seeds import SeedLibrary
    from factsheet.writers import parse_formats

    formats = parse_formats(formats_arg)
    if "pdf" in formats:  # as the writer imports reportlab (older versions have no such step)
        try:
            from factsheet.writers.pdf.reportlab_import import import_reportlab
        except ImportError:
            pass
        else:
            import_reportlab()
    for module in _writer_modules(formats):
        importlib.import_module(module)
        for sub in ("render", "writer"):  # the writer's own modules, imported on first write
            try:
                importlib.import_module(f"{module}.{sub}")
            except ImportError:
                pass
    stages.add("imports (factsheet and its libraries)", time.perf_counter() - t0)

    t0 = time.perf_counter()
    for module in _writer_modules(formats):
        getattr(importlib.import_module(module), "prepare", lambda: None)()
    stages.add("writers prepared (fonts parsed)", time.perf_counter() - t0)

    for module, attr, stage in WRAPPED:
        if module.split(".")[1] != "writers" or any(module.startswith(m) for m in _writer_modules(formats)):
            _patch(stages, module, attr, stage)
    _patch_child(stages)

    project = Project(Path(root))
    t0 = time.perf_counter()
    pipeline = Pipeline(project, template, SeedLibrary.of(project))
    built = pipeline.build(Path(sheet), formats)
    total_build = time.perf_counter() - t0
    stages.add(
        "pipeline, not in a stage above", total_build - sum(stages.seconds.values()) + _outside(stages)
    )

    import pickle

    t0 = time.perf_counter()
    for _ in built.outputs:  # what a writer process adds: the document there, the bytes back
        pickle.loads(pickle.dumps(built.document, pickle.HIGHEST_PROTOCOL))
    data = pickle.dumps(built.outputs, pickle.HIGHEST_PROTOCOL)
    pickle.loads(data)
    stages.add("document to writer processes and back (pickle)", time.perf_counter() - t0)

    from factsheet.atomic import write_atomic
    from factsheet.writers import output_name

    t0 = time.perf_counter()
    Path(out).mkdir(parents=True, exist_ok=True)
    for fmt, data in built.outputs.items():
        write_atomic(Path(out) / output_name(Path(sheet).stem, fmt), data)
    stages.add("writing files", time.perf_counter() - t0)
    return {"started": STARTED, "finished": time.time(), "stages": stages.seconds}


def _outside(stages: Stages) -> float:
    # the imports and preparation happened before the build: they are not part of its total
    return sum(
        v
        for k, v in stages.seconds.items()
        if k in ("imports (factsheet and its libraries)", "writers prepared (fonts parsed)")
    )


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:6])))
