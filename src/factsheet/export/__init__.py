"""Unattended batch export: build every fact sheet into one folder, safely and only when needed.

``factsheet export`` is meant to run from cron, a systemd timer or a CI
schedule. Each output is rebuilt only when something it depends on changed
(see :mod:`factsheet.export.inputs`); every file is replaced atomically; a lock
keeps two runs apart; one broken sheet never stops the others; and the folder
gets a manifest and an index. ``docs/export.md`` describes it for users.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import factsheet
from factsheet.atomic import TEMPORARY_MARK, write_atomic
from factsheet.errors import FactsheetError, InputError, InvocationError, LockedError, UsageError
from factsheet.export import index as index_files
from factsheet.export.inputs import Fingerprints, cited_sources, sha256_bytes, sha256_file
from factsheet.export.lock import LOCK_NAME, ExportLock
from factsheet.export.report import Reporter
from factsheet.export.worker import SheetResult
from factsheet.oneline import one_line
from factsheet.pipeline.build import empty_reason, output_name
from factsheet.project import Project
from factsheet.regularfile import read_regular, special
from factsheet.sources.loading import MAX_FILE_BYTES
from factsheet.sources.seeds import SeedLibrary

DEFAULT_OUT = "export"
DEFAULT_FORMATS = "pdf"
DEFAULT_WAIT = 0.0
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
#: A manifest lists a few hundred records; anything much larger is not one.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024

#: Temporary files left by write_atomic when a run is killed: ".NAME.factsheet-RANDOM.tmp"; a user's
#: own ".notes.pdf.backup.tmp" never matches.
_STALE_TMP = re.compile(r"^\.(?P<name>.+)\." + re.escape(TEMPORARY_MARK) + r"[a-z0-9_]{8}\.tmp$")


@dataclass
class _Job:
    """One fact sheet of this run and the formats it needs built."""

    name: str
    path: Path
    display: str
    source: str
    sheet_sha256: str | None
    cites: list[str] | None
    digests: dict[str, str | None] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)


def run(project: Project, args: argparse.Namespace) -> int:
    """Run ``factsheet export`` with parsed command-line arguments; return the exit code."""
    return export(
        project,
        paths=args.paths,
        out=Path(args.out) if args.out else None,
        formats=args.format,
        template=args.template,
        jobs=args.jobs,
        force=args.force,
        wait=args.wait,
        log_format=args.log_format,
        quiet=args.quiet,
        epoch=getattr(args, "source_date_epoch", None),
        dumb_terminal=getattr(args, "dumb_terminal", False),
    )


def export(
    project: Project,
    paths: list[str] | None = None,
    out: Path | None = None,
    formats: str = DEFAULT_FORMATS,
    template: str = "brief",
    jobs: int = 1,
    force: bool = False,
    wait: float = DEFAULT_WAIT,
    log_format: str = "text",
    quiet: bool = False,
    reporter: Reporter | None = None,
    epoch: str | None = None,
    dumb_terminal: bool = False,
) -> int:
    """Export fact sheets into ``out`` (default ``export/`` in the project); return 0, or 1 if any failed.

    ``epoch`` (SOURCE_DATE_EPOCH) is the run's time recorded in the manifest and
    index, now when None; ``dumb_terminal`` (TERM=dumb) turns the progress bar off.
    Raises UsageError for an unusable invocation and LockedError when another
    export holds the folder's lock for longer than ``wait`` seconds.
    """
    from factsheet.pipeline.build import FORMATS, parse_formats
    from factsheet.rendering.templating import template_path

    began = time.perf_counter()
    fmts = parse_formats(formats)
    template_path(project.templates_dir, template)
    if jobs < 0:
        raise InvocationError(f"--jobs: expected 0 (one per core) or more, found {jobs}")
    jobs = jobs or os.cpu_count() or 1
    if wait < 0:
        raise InvocationError(f"--wait: expected seconds (0 or more), found {wait:g}")
    sheet_paths = project.sheet_paths(paths)
    out = Path(out) if out else project.root / DEFAULT_OUT
    project.refuse_as_output(out, "export into a folder of its own such as export/")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out: cannot create {out}: {exc.strerror}") from None
    shown_out = project.display(out).rstrip("/") + "/"
    reporter = reporter or Reporter(log_format, quiet, dumb_terminal=dumb_terminal)

    lock = ExportLock(out, project.display(out / LOCK_NAME))
    try:
        lock.acquire(wait, on_wait=lambda holder: reporter.waiting(holder, lock.shown))
    except LockedError as exc:
        reporter.locked(str(exc))
        raise
    except OSError as exc:
        raise UsageError(f"--out: cannot write to {shown_out}: {exc.strerror}") from None
    try:
        run = _ExportRun(
            project,
            out=out,
            shown_out=shown_out,
            fmts=fmts,
            writers=list(FORMATS),
            template=template,
            force=force,
            reporter=reporter,
            stamp=run_time(epoch),
        )
        reporter.start(
            sheets=len(sheet_paths),
            out=shown_out,
            formats=fmts,
            template=template,
            jobs=jobs,
            force=force,
            version=factsheet.__version__,
            pid=os.getpid(),
        )
        todo = run.plan(sheet_paths)
        _build_all(project, todo, template, jobs, lock, run.record, run.reporter)
        return run.finish(explicit=bool(paths), began=began)
    finally:
        lock.release()


@dataclass
class _ExportRun:
    """One export run, under the lock: plan what to build, record what was built, then tidy up."""

    project: Project
    out: Path
    shown_out: str
    fmts: list[str]
    writers: list[str]
    template: str
    force: bool
    reporter: Reporter
    sheets: dict[str, Any] = field(default_factory=dict)
    manifest_raw: bytes | None = None
    names: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    stamp: str = field(default_factory=lambda: run_time(None))
    #: name → this run's outcome, merged into the manifest at the end
    health: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def manifest_path(self) -> Path:
        return self.out / MANIFEST

    def fail(
        self,
        display: str,
        formats: list[str],
        problems: list[str],
        duration: float = 0.0,
        name: str | None = None,
        source: str | None = None,
    ) -> None:
        """Count a failed sheet, report it, and remember it as the sheet's last failure."""
        self.failures.append((display, formats, problems))
        self.reporter.failed(sheet=display, formats=formats, problems=problems, duration=duration)
        if name is not None:
            first = problems[0] if problems else "failed"
            self.health.setdefault(name, {"source": source})["failure"] = {
                "time": self.stamp,
                "formats": formats,
                "message": first,
                "problems": len(problems),
            }

    def plan(self, sheet_paths: list[Path]) -> list[_Job]:
        """Return the sheets to build and the formats each needs; nothing here renders or imports a writer."""
        project, out, fmts, reporter = self.project, self.out, self.fmts, self.reporter
        _remove_stale_temporaries(out, self.writers)
        for name in (MANIFEST, index_files.INDEX_JSON, index_files.INDEX_HTML):
            found = special(out / name)
            if found:
                raise FactsheetError(
                    f"{project.display(out / name)}: expected a regular file, found {found}; "
                    "remove it and export again"
                )
        self.sheets, self.manifest_raw = _load_manifest(self.manifest_path)
        sheets, names = self.sheets, self.names
        library = SeedLibrary.of(project)
        catalog_errors = sorted(
            (p for p in library.problems if p.severity == "error"), key=lambda p: (p.path, p.line, p.col)
        )
        fingerprints = None
        if not catalog_errors and library.catalog is not None:
            fingerprints = Fingerprints(project, library.catalog.data["sources"])

        todo: list[_Job] = []
        for path in sheet_paths:
            display = project.display(path)
            name = path.stem
            if name in names:
                self.fail(
                    display,
                    fmts,
                    [
                        f"{display}: its output name '{name}' is already taken by {names[name]}; "
                        "rename one of the two files"
                    ],
                )
                reporter.sheet_done(display)
                continue
            names[name] = display
            taken = sorted(
                output_name(name, fmt) for fmt in fmts if output_name(name, fmt) in _EXPORT_OWN_FILES
            )
            if taken:  # the export's own index or manifest would replace the brief on every run
                self.fail(
                    display,
                    fmts,
                    [
                        f"{one_line(display)}: its output {taken[0]} is the name of the export's own "
                        f"{'index page' if taken[0].startswith('index') else 'record'}; rename the sheet"
                    ],
                )
                reporter.sheet_done(display)
                continue
            if fingerprints is None:
                self.fail(
                    display,
                    fmts,
                    [str(p) for p in catalog_errors],
                    name=name,
                    source=_source_name(project, path),
                )
                reporter.sheet_done(display)
                continue
            record = sheets.get(name) if isinstance(sheets.get(name), dict) else None
            recorded = record.get("outputs") if record and isinstance(record.get("outputs"), dict) else {}
            try:
                raw = None if project.link_outside(path) else read_regular(path, MAX_FILE_BYTES)
            except OSError:
                raw = None  # the build reports it, located
            sheet_sha = sha256_bytes(raw) if raw is not None else None
            cites = _cites(record, sheet_sha, raw, display)
            job = _Job(name, path, display, _source_name(project, path), sheet_sha, cites)
            for fmt in fmts:
                digest = (
                    fingerprints.output(sheet_sha, cites, fmt, self.template)
                    if cites is not None and sheet_sha is not None
                    else None
                )
                job.digests[fmt] = digest
                target = out / output_name(name, fmt)
                done = recorded.get(fmt)
                found = special(target)
                if found:  # never read, hashed or replaced: someone else put it there
                    self.fail(
                        display,
                        [fmt],
                        [
                            f"{display}: {fmt}: {project.display(target)} is {found}, not a "
                            "file this export wrote; remove it and export again"
                        ],
                    )
                    continue
                if (
                    not self.force
                    and digest
                    and isinstance(done, dict)
                    and done.get("input") == digest
                    and (
                        (done.get("file") == target.name and sha256_file(target) == done.get("sha256"))
                        or (done.get("file") is None and "file" in done)  # nothing to write, as before
                    )
                ):
                    if done.get("file") is not None:  # a format with nothing to write has no file to skip
                        reporter.skipped(sheet=display, fmt=fmt, path=project.display(target))
                    if record is not None and record.get("source") != job.source:
                        record["source"] = job.source
                else:
                    job.formats.append(fmt)
            if job.formats:
                todo.append(job)
            else:
                self.health.setdefault(name, {"source": job.source})["ok"] = True
                reporter.sheet_done(display)
        return todo

    def record(self, job: _Job, result: SheetResult) -> None:
        """Write what a build produced, record it in the manifest, and report it."""
        project, out, reporter, sheets = self.project, self.out, self.reporter, self.sheets
        seconds = result.seconds
        if result.problems:
            self.fail(
                job.display,
                job.formats,
                result.problems,
                max(seconds.values(), default=0.0),
                job.name,
                job.source,
            )
            reporter.sheet_done(job.display)
            return
        record: dict[str, Any] = sheets[job.name] if isinstance(sheets.get(job.name), dict) else {}
        outputs: dict[str, Any] = record["outputs"] if isinstance(record.get("outputs"), dict) else {}
        failed_formats: list[str] = []
        problems: list[str] = []
        built: list[dict[str, Any]] = []
        for fmt in job.formats:
            if fmt not in result.outputs:
                failed_formats.append(fmt)
                problems.extend(result.errors.get(fmt) or [f"{job.display}: {fmt}: no output"])
                continue
            data = result.outputs[fmt]
            target = out / output_name(job.name, fmt)
            if not data:  # nothing to write: no file, and none left from an earlier run
                self._remove_own(job, fmt, outputs.get(fmt))
                outputs[fmt] = {"file": None, "input": job.digests.get(fmt), "template": self.template}
                continue
            digest = sha256_bytes(data)
            written = sha256_file(target) != digest  # identical bytes are left alone, mtime and all
            if written:
                try:
                    write_atomic(target, data)
                except OSError as exc:
                    failed_formats.append(fmt)
                    problems.append(
                        f"{job.display}: {fmt}: cannot write {project.display(target)}: {exc.strerror}"
                    )
                    continue
            outputs[fmt] = {
                "file": target.name,
                "input": job.digests.get(fmt),
                "sha256": digest,
                "bytes": len(data),
                "template": self.template,
            }
            built.append(
                dict(
                    sheet=job.display,
                    fmt=fmt,
                    path=project.display(target),
                    size=len(data),
                    duration=seconds.get(fmt, 0.0),
                    written=written,
                )
            )
        if built:
            record.update(
                {
                    "source": job.source,
                    "sha256": job.sheet_sha256,
                    "cites": job.cites,
                    "title": result.title,
                    "as_of": result.as_of,
                    "outputs": outputs,
                }
            )
            sheets[job.name] = record
            self.manifest_raw = _write_manifest(self.manifest_path, sheets, self.manifest_raw)
        for fields in built:  # reported once recorded: a "built" output is one the next run can skip
            reporter.built(**fields)
        if failed_formats:
            self.fail(
                job.display,
                failed_formats,
                problems,
                max(seconds.values(), default=0.0),
                job.name,
                job.source,
            )
        else:
            self.health.setdefault(job.name, {"source": job.source})["ok"] = True
        if any(fields["written"] for fields in built):  # the files date from now
            self.health.setdefault(job.name, {"source": job.source})["built"] = True
        reporter.sheet_done(job.display)

    def _remove_own(self, job: _Job, fmt: str, earlier: object) -> None:
        """Delete the output in ``fmt`` an earlier run wrote and recorded as ``earlier``, if it is still there."""
        owned = _own_output(self.out, job.name, fmt, earlier, self.writers)
        if owned is not None:
            owned.unlink(missing_ok=True)
            self.reporter.removed(
                sheet=job.source or job.display,
                path=self.project.display(owned),
                why=empty_reason(fmt),
            )

    def finish(self, *, explicit: bool, began: float) -> int:
        """Remove the outputs of deleted sheets, write the manifest and index, report; return the exit code."""
        out, sheets = self.out, self.sheets
        _record_health(sheets, self.health, self.stamp)
        removed = 0
        if not explicit:  # a full run mirrors factsheets/: outputs of deleted sheets go too
            for name in sorted(set(sheets) - set(self.names)):
                record = sheets.pop(name)
                outputs = record.get("outputs") if isinstance(record, dict) else None
                for fmt, o in outputs.items() if isinstance(outputs, dict) else ():
                    owned = _own_output(out, name, fmt, o, self.writers)
                    if owned is None:  # only what this tool wrote and recorded is deleted
                        continue
                    try:
                        owned.unlink()
                    except FileNotFoundError:
                        continue
                    removed += 1
                    self.reporter.removed(
                        sheet=str(record.get("source") or name), path=self.project.display(owned)
                    )

        self.manifest_raw = _write_manifest(self.manifest_path, sheets, self.manifest_raw)
        items = index_files.entries(sheets, out, self.writers)
        # The index says when it was made; a run that changes nothing leaves it (and its time) alone.
        if index_files.changed(out / index_files.INDEX_JSON, items):
            _write(out / index_files.INDEX_JSON, index_files.render_json(items, self.stamp))
            _write(out / index_files.INDEX_HTML, index_files.render_html(items, self.stamp))

        exit_code = 1 if self.failures else 0
        self.reporter.summary(
            out=self.shown_out,
            failures=self.failures,
            removed=removed,
            duration=time.perf_counter() - began,
            exit_code=exit_code,
        )
        return exit_code


def _build_all(
    project: Project,
    todo: list[_Job],
    template: str,
    jobs: int,
    lock: ExportLock,
    finish: Callable[[_Job, SheetResult], None],
    reporter: Reporter,
) -> None:
    """Build every job, in this process or across ``jobs`` worker processes, calling ``finish`` on each."""
    from factsheet.export.worker import build_sheet, init_worker, warm_up

    if not todo:  # nothing changed: nothing to load
        return
    root = str(project.root)
    workers = min(jobs, len(todo))
    # once, inherited by every sheet's render and every worker
    warm_up(sorted({fmt for job in todo for fmt in job.formats}), project.templates_dir, template)
    if workers <= 1:
        for job in todo:
            reporter.building(job.display)
            finish(job, build_sheet(root, str(job.path), job.display, job.formats, template))
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork: workers inherit the loaded modules (and any writer registered in build.WRITERS);
    # init_worker closes their copy of the lock so it ends with this process.
    context = (
        multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    )
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=init_worker, initargs=(lock.fd,)
    )
    try:
        futures = {
            pool.submit(build_sheet, root, str(job.path), job.display, job.formats, template): job
            for job in todo
        }
        for job in todo[:workers]:  # the pool starts these first
            reporter.building(job.display)
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker died (killed, out of memory): fail this sheet only
                result = SheetResult(
                    problems=[
                        f"{job.display}: the worker process building it failed: {type(exc).__name__}: {exc}"
                    ]
                )
            finish(job, result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def run_time(epoch: str | None) -> str:
    """Return this run's time, UTC to the second: ``epoch`` (``SOURCE_DATE_EPOCH``) when set, else now."""
    import datetime as dt

    try:
        moment = dt.datetime.fromtimestamp(int(epoch or ""), dt.UTC)
    except (ValueError, OverflowError, OSError):
        moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_health(sheets: dict[str, Any], health: dict[str, dict[str, Any]], stamp: str) -> None:
    """Record each sheet's last success and last failure in its manifest record; a failed sheet is stale.

    The last success is when the sheet's files were last written, or when it was
    up to date again after a failure. A sheet skipped or rebuilt to the same bytes
    keeps its record as it was, so a run that changes nothing rewrites nothing.
    """
    for name, outcome in health.items():
        record: dict[str, Any] = sheets[name] if isinstance(sheets.get(name), dict) else {}
        if outcome.get("failure"):
            record["last_failure"] = outcome["failure"]
            record["stale"] = True
        elif outcome.get("ok") and (
            outcome.get("built") or record.get("stale") or "last_success" not in record
        ):
            record["last_success"] = stamp
            record["stale"] = False
        else:
            continue
        if outcome.get("source") and not record.get("source"):
            record["source"] = outcome["source"]
        sheets[name] = record


def _cites(
    record: dict[str, Any] | None, sheet_sha: str | None, raw: bytes | None, display: str
) -> list[str] | None:
    """Return the sources a sheet cites: recorded when its bytes are unchanged, else read; None if unreadable."""
    from factsheet.sources.loading import decode, load_text

    if record and sheet_sha and record.get("sha256") == sheet_sha and isinstance(record.get("cites"), list):
        recorded: list[str] = record["cites"]  # same bytes, same citations: no need to parse
        return recorded
    if raw is None:
        return None
    try:
        return cited_sources(load_text(decode(raw, display), display).data)
    except InputError:
        return None  # the build reports every problem, located


def _source_name(project: Project, path: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(resolved)


#: Files an export writes for itself; no brief may be written under these names.
_EXPORT_OWN_FILES = frozenset({MANIFEST, index_files.INDEX_JSON, index_files.INDEX_HTML, LOCK_NAME})


def _own_output(out: Path, name: str, fmt: object, record: object, writers: list[str]) -> Path | None:
    """Return the output of sheet ``name`` that a manifest record names, if this tool wrote it, else None.

    A manifest is a file anyone with access to the folder can edit, so a record
    counts only when it names ``<sheet>.<format>`` for a format this tool
    writes, and the file there is still a regular file with the recorded bytes.
    """
    if (
        fmt not in writers
        or not isinstance(record, dict)
        or record.get("file") != output_name(name, str(fmt))
    ):
        return None
    target = out / output_name(name, str(fmt))
    if target.parent != out or special(target) or sha256_file(target) != record.get("sha256"):
        return None
    return target


def _remove_stale_temporaries(out: Path, formats: list[str]) -> None:
    """Delete the temporary files a killed run left behind (only ours: we hold the lock)."""
    ours = {MANIFEST, index_files.INDEX_JSON, index_files.INDEX_HTML}
    suffixes = tuple("." + output_name("", fmt).lstrip(".") for fmt in formats)
    for entry in out.iterdir():
        m = _STALE_TMP.match(entry.name)
        if m and (m["name"] in ours or m["name"].endswith(suffixes)) and entry.is_file():
            try:
                entry.unlink()
            except OSError:
                pass


def _load_manifest(path: Path) -> tuple[dict[str, Any], bytes | None]:
    """Return the manifest's records by sheet name and its raw bytes; an unreadable manifest is empty."""
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        return {}, None
    except OSError:
        return {}, None
    try:
        data = json.loads(raw)
    except ValueError:
        return {}, raw  # everything is rebuilt and the manifest rewritten
    if (
        not isinstance(data, dict)
        or data.get("manifest") != MANIFEST_VERSION
        or not isinstance(data.get("sheets"), dict)
    ):
        return {}, raw
    return data["sheets"], raw


def manifest_bytes(sheets: dict[str, Any]) -> bytes:
    """Return the manifest for ``sheets``: the same records give the same bytes."""
    doc = {"manifest": MANIFEST_VERSION, "generator": f"factsheet {factsheet.__version__}", "sheets": sheets}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _write_manifest(path: Path, sheets: dict[str, Any], current: bytes | None) -> bytes | None:
    data = manifest_bytes(sheets)
    if data != current:
        _write(path, data)
    return data


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise FactsheetError(
            f"cannot write {path}: {exc.strerror}; the files already there are unchanged"
        ) from None
