"""Unattended batch export: build every fact sheet into one folder, safely and only when needed.

``factsheet export`` is meant to run from cron, a systemd timer or a CI
schedule. Each output is rebuilt only when something it depends on changed
(see :mod:`factsheet.export.inputs`); every file is replaced atomically; a lock
keeps two runs apart; one broken sheet never stops the others; and the folder
gets a manifest and an index. ``docs/export.md`` describes it for users.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import factsheet
from factsheet.writers import output_name
from factsheet.atomic import write_atomic
from factsheet.errors import FactsheetError, InputError, LockedError, UsageError
from factsheet.export import index as index_files
from factsheet.export.inputs import Fingerprints, cited_sources, sha256_bytes, sha256_file
from factsheet.export.lock import LOCK_NAME, ExportLock
from factsheet.export.report import Reporter
from factsheet.project import CATALOG, Project

DEFAULT_OUT = "export"
DEFAULT_FORMATS = "pdf"
DEFAULT_WAIT = 0.0
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1

#: Test-only: seconds to sleep before writing each built output, so a test can kill a run midway.
DELAY_ENV = "FACTSHEET_EXPORT_TEST_DELAY"

#: Temporary files left by write_atomic when a run is killed: ".NAME.RANDOM.tmp".
_STALE_TMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]+\.tmp$")


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


def run(project: Project, args) -> int:
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
    )


def export(project: Project, paths: list[str] | None = None, out: Path | None = None,
           formats: str = DEFAULT_FORMATS, template: str = "brief", jobs: int = 1, force: bool = False,
           wait: float = DEFAULT_WAIT, log_format: str = "text", quiet: bool = False,
           reporter: Reporter | None = None) -> int:
    """Export fact sheets into ``out`` (default ``export/`` in the project); return 0, or 1 if any failed.

    Raises UsageError for an unusable invocation and LockedError when another
    export holds the folder's lock for longer than ``wait`` seconds.
    """
    from factsheet.writers import WRITERS, parse_formats
    from factsheet.rendering.templating import template_path

    began = time.perf_counter()
    fmts = parse_formats(formats)
    template_path(project.templates_dir, template)
    if jobs < 0:
        raise UsageError(f"--jobs: expected 0 (one per core) or more, found {jobs}")
    jobs = jobs or os.cpu_count() or 1
    if wait < 0:
        raise UsageError(f"--wait: expected seconds (0 or more), found {wait:g}")
    sheet_paths = project.sheet_paths(paths)
    out = Path(out) if out else project.root / DEFAULT_OUT
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out: cannot create {out}: {exc.strerror}") from None
    shown_out = project.display(out).rstrip("/") + "/"
    reporter = reporter or Reporter(log_format, quiet)

    lock = ExportLock(out, project.display(out / LOCK_NAME))
    try:
        lock.acquire(wait, on_wait=lambda holder: reporter.waiting(holder, lock.shown))
    except LockedError as exc:
        reporter.locked(str(exc))
        raise
    except OSError as exc:
        raise UsageError(f"--out: cannot write to {shown_out}: {exc.strerror}") from None
    try:
        return _export_locked(project, sheet_paths, explicit=bool(paths), out=out, shown_out=shown_out,
                              fmts=fmts, writers=list(WRITERS), template=template, jobs=jobs,
                              force=force, reporter=reporter, lock=lock, began=began)
    finally:
        lock.release()


def _export_locked(project: Project, sheet_paths: list[Path], *, explicit: bool, out: Path, shown_out: str,
                   fmts: list[str], writers: list[str], template: str, jobs: int, force: bool,
                   reporter: Reporter, lock: ExportLock, began: float) -> int:
    from factsheet.sources.loading import decode, load_text
    from factsheet.sources.seeds import SeedLibrary

    reporter.start(sheets=len(sheet_paths), out=shown_out, formats=fmts, template=template, jobs=jobs,
                   force=force, version=factsheet.__version__, pid=os.getpid())
    _remove_stale_temporaries(out, writers)
    manifest_path = out / MANIFEST
    sheets, manifest_raw = _load_manifest(manifest_path)
    failures: list[tuple[str, list[str], list[str]]] = []

    def fail(display: str, formats: list[str], problems: list[str], duration: float = 0.0) -> None:
        failures.append((display, formats, problems))
        reporter.failed(sheet=display, formats=formats, problems=problems, duration=duration)

    library = SeedLibrary(project.seeds_dir, project.display(project.seeds_dir / CATALOG))
    catalog_errors = sorted((p for p in library.problems if p.severity == "error"),
                            key=lambda p: (p.path, p.line, p.col))
    fingerprints = None
    if not catalog_errors:
        fingerprints = Fingerprints(project, library.catalog.data["sources"])

    # Decide, cheaply, what each sheet needs: nothing here renders or imports a writer.
    todo: list[_Job] = []
    names: dict[str, str] = {}
    for path in sheet_paths:
        display = project.display(path)
        name = path.stem
        if name in names:
            fail(display, fmts, [f"{display}: its output name '{name}' is already taken by {names[name]}; "
                                 "rename one of the two files"])
            reporter.sheet_done(display)
            continue
        names[name] = display
        if catalog_errors:
            fail(display, fmts, [str(p) for p in catalog_errors])
            reporter.sheet_done(display)
            continue
        record = sheets.get(name) if isinstance(sheets.get(name), dict) else None
        recorded = record.get("outputs") if record and isinstance(record.get("outputs"), dict) else {}
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None  # the build reports it, located
        sheet_sha = sha256_bytes(raw) if raw is not None else None
        cites = None
        if record and sheet_sha and record.get("sha256") == sheet_sha and isinstance(record.get("cites"), list):
            cites = record["cites"]  # same bytes, same citations: no need to parse
        elif raw is not None:
            try:
                cites = cited_sources(load_text(decode(raw, display), display).data)
            except InputError:
                cites = None  # the build reports every problem, located
        job = _Job(name, path, display, _source_name(project, path), sheet_sha, cites)
        for fmt in fmts:
            digest = fingerprints.output(sheet_sha, cites, fmt, template) if cites is not None else None
            job.digests[fmt] = digest
            target = out / output_name(name, fmt)
            done = recorded.get(fmt)
            if (not force and digest and isinstance(done, dict) and done.get("input") == digest
                    and done.get("file") == target.name and sha256_file(target) == done.get("sha256")):
                reporter.skipped(sheet=display, fmt=fmt, path=project.display(target))
                if record.get("source") != job.source:
                    record["source"] = job.source
            else:
                job.formats.append(fmt)
        if job.formats:
            todo.append(job)
        else:
            reporter.sheet_done(display)

    delay = _test_delay()

    def finish(job: _Job, result: dict) -> None:
        """Write what a build produced, record it in the manifest, and report it."""
        seconds = result.get("seconds") or {}
        if result.get("problems"):
            fail(job.display, job.formats, result["problems"], max(seconds.values(), default=0.0))
            reporter.sheet_done(job.display)
            return
        record = sheets.get(job.name) if isinstance(sheets.get(job.name), dict) else {}
        outputs = record.get("outputs") if isinstance(record.get("outputs"), dict) else {}
        failed_formats, problems, built = [], [], []
        for fmt in job.formats:
            if fmt not in result["outputs"]:
                failed_formats.append(fmt)
                problems.extend(result["errors"].get(fmt) or [f"{job.display}: {fmt}: no output"])
                continue
            data = result["outputs"][fmt]
            target = out / output_name(job.name, fmt)
            digest = sha256_bytes(data)
            if delay:
                time.sleep(delay)
            written = sha256_file(target) != digest  # identical bytes are left alone, mtime and all
            if written:
                try:
                    write_atomic(target, data)
                except OSError as exc:
                    failed_formats.append(fmt)
                    problems.append(f"{job.display}: {fmt}: cannot write {project.display(target)}: {exc.strerror}")
                    continue
            outputs[fmt] = {"file": target.name, "input": job.digests.get(fmt), "sha256": digest,
                            "bytes": len(data), "template": template}
            built.append(dict(sheet=job.display, fmt=fmt, path=project.display(target), size=len(data),
                              duration=seconds.get(fmt, 0.0), written=written))
        if built:
            record.update({"source": job.source, "sha256": job.sheet_sha256, "cites": job.cites,
                           "title": result.get("title"), "as_of": result.get("as_of"), "outputs": outputs})
            sheets[job.name] = record
            nonlocal manifest_raw
            manifest_raw = _write_manifest(manifest_path, sheets, manifest_raw)
        for fields in built:  # reported once recorded: a "built" output is one the next run can skip
            reporter.built(**fields)
        if failed_formats:
            fail(job.display, failed_formats, problems, max(seconds.values(), default=0.0))
        reporter.sheet_done(job.display)

    _build_all(project, todo, template, jobs, lock, finish)

    removed = 0
    if not explicit:  # a full run mirrors factsheets/: outputs of deleted sheets go too
        for name in sorted(set(sheets) - set(names)):
            record = sheets.pop(name)
            outputs = record.get("outputs") if isinstance(record, dict) else None
            for o in outputs.values() if isinstance(outputs, dict) else ():
                target = out / str(o.get("file", "") if isinstance(o, dict) else "")
                if target.parent == out and target.name and target.name != MANIFEST:
                    try:
                        target.unlink()
                    except FileNotFoundError:
                        pass
                    removed += 1
                    reporter.removed(sheet=str(record.get("source") or name), path=project.display(target))

    manifest_raw = _write_manifest(manifest_path, sheets, manifest_raw)
    items = index_files.entries(sheets, out, writers)
    _write_if_changed(out / index_files.INDEX_JSON, index_files.render_json(items))
    _write_if_changed(out / index_files.INDEX_HTML, index_files.render_html(items))

    exit_code = 1 if failures else 0
    reporter.summary(out=shown_out, failures=failures, removed=removed,
                     duration=time.perf_counter() - began, exit_code=exit_code)
    return exit_code


def _build_all(project: Project, todo: list[_Job], template: str, jobs: int, lock: ExportLock, finish) -> None:
    """Build every job, in this process or across ``jobs`` worker processes, calling ``finish`` on each."""
    from factsheet.export.worker import build_sheet, init_worker

    root = str(project.root)
    workers = min(jobs, len(todo))
    if workers <= 1:
        for job in todo:
            finish(job, build_sheet(root, str(job.path), job.display, job.formats, template))
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork: workers inherit the loaded modules (and any writer registered in build.WRITERS);
    # init_worker closes their copy of the lock so it ends with this process.
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker,
                               initargs=(lock.fd,))
    try:
        futures = {pool.submit(build_sheet, root, str(job.path), job.display, job.formats, template): job
                   for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker died (killed, out of memory): fail this sheet only
                result = {"problems": [f"{job.display}: the worker process building it failed: "
                                       f"{type(exc).__name__}: {exc}"]}
            finish(job, result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _source_name(project: Project, path: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def _test_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV) or 0))
    except ValueError:
        return 0.0


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


def _load_manifest(path: Path) -> tuple[dict, bytes | None]:
    """Return the manifest's records by sheet name and its raw bytes; an unreadable manifest is empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError:
        return {}, None
    try:
        data = json.loads(raw)
    except ValueError:
        return {}, raw  # everything is rebuilt and the manifest rewritten
    if not isinstance(data, dict) or data.get("manifest") != MANIFEST_VERSION or not isinstance(data.get("sheets"), dict):
        return {}, raw
    return data["sheets"], raw


def manifest_bytes(sheets: dict) -> bytes:
    """Return the manifest for ``sheets``: the same records give the same bytes."""
    doc = {"manifest": MANIFEST_VERSION, "generator": f"factsheet {factsheet.__version__}", "sheets": sheets}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _write_manifest(path: Path, sheets: dict, current: bytes | None) -> bytes | None:
    data = manifest_bytes(sheets)
    if data != current:
        _write(path, data)
    return data


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    _write(path, data)
    return True


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise FactsheetError(f"cannot write {path}: {exc.strerror}; the files already there are unchanged") from None
