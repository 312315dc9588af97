"""Rebuild briefs while an editor works: watch the inputs, rebuild what they affect, keep the process warm."""

from __future__ import annotations

import itertools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.errors import FactsheetError, InputError, UsageError
from factsheet.pipeline.sidewriter import SideWriter
from factsheet.project import Project
from factsheet.writers import WriterOptions

if TYPE_CHECKING:
    from factsheet.sources.seeds import SeedLibrary

#: Quiet time after the last change before a rebuild starts (an editor's save is several events).
SETTLE_MS = 20
#: How often the inotify watch wakes up when nothing happens (only to stay responsive to Ctrl-C).
WAKE_MS = 200
#: How often the polling fallback looks at the files.
POLL_SECONDS = 0.2
_SHEET_SUFFIXES = (".yaml", ".yml")


@dataclass
class Target:
    """One fact sheet being watched: what it cites, and whether its outputs are current."""

    path: Path
    cited: frozenset[str] = frozenset()  # source ids; empty until it first loads
    ok: bool = False


@dataclass
class Watcher:
    """Rebuilds the briefs of a project whenever their inputs change."""

    project: Project
    paths: list[Path]  # sheets named on the command line; empty: every sheet in factsheets/
    formats: list[str]
    out: Path
    template: str
    sides: list[SideWriter] = field(default_factory=list)  # writer processes kept warm between rebuilds
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))
    on_built: Callable[[Path, dict[str, Path]], None] | None = None
    targets: dict[Path, Target] = field(default_factory=dict)
    options: WriterOptions = field(default_factory=WriterOptions)
    #: The catalog and the articles read so far, kept until something in seeds/ changes.
    library: SeedLibrary | None = None

    def sheets(self) -> list[Path]:
        """Return the sheets to build now (new files in factsheets/ included)."""
        if self.paths:
            return [p for p in self.paths if p.is_file()]
        folder = self.project.factsheets_dir
        return sorted(p for p in folder.iterdir() if p.suffix in _SHEET_SUFFIXES and p.is_file())

    def roots(self) -> list[Path]:
        """Return the folders and files to watch."""
        watched = {self.project.seeds_dir, self.project.templates_dir}
        if self.paths:
            watched.update(p.parent for p in self.paths)
        else:
            watched.add(self.project.factsheets_dir)
        return sorted(p for p in watched if p.exists())

    def affected(self, changed: Iterable[Path]) -> list[Path]:
        """Return the sheets whose outputs ``changed`` files make stale, in build order."""
        seeds = self.project.seeds_dir.resolve()
        templates = self.project.templates_dir.resolve()
        sheets = {p.resolve(): p for p in self.sheets()}
        out: dict[Path, None] = {}
        for path in changed:
            path = path.resolve()
            if path in sheets:
                out[sheets[path]] = None
            elif path.parent == templates or path == seeds / "catalog.yaml":
                out.update(dict.fromkeys(sheets.values()))
            elif path.parent == seeds:
                for sheet in sheets.values():
                    target = self.targets.get(sheet)
                    # a sheet that never loaded may cite anything
                    if target is None or not target.ok or path.stem in target.cited:
                        out[sheet] = None
        return [p for p in sheets.values() if p in out]

    def build(self, sheets: Iterable[Path]) -> int:
        """Rebuild ``sheets``; print one line each; return how many failed."""
        from factsheet.atomic import write_atomic
        from factsheet.pipeline.build import Pipeline, clear_unwritten, output_name
        from factsheet.sources.loading import printable

        sheets = list(sheets)
        if not sheets:
            return 0
        # the catalog kept while seeds/ is unchanged, shared by the sheets a batch rebuilds;
        # on a second core the render starts while the sheet is checked
        overlap = (os.cpu_count() or 1) > 1
        pipeline = Pipeline(self.project, self.template, self.seed_library(), self.options, overlap=overlap)
        failed = 0
        for path in sheets:
            start = time.perf_counter()
            target = self.targets.setdefault(path, Target(path))
            shown = self.project.display(path)
            try:
                built = pipeline.build(path, self.formats, self.sides)
                sheet, document, outputs = built.loaded.sheet, built.document, built.outputs
                target.cited = frozenset(c.source for cl in sheet.claims for c in cl.citations)
                del built, sheet
                self.out.mkdir(parents=True, exist_ok=True)
                written = {}
                for fmt, data in outputs.items():
                    written[fmt] = self.out / output_name(path.stem, fmt)
                    write_atomic(written[fmt], data)
                clear_unwritten(self.out, path.stem, self.formats, outputs)
            except InputError as exc:
                failed += 1
                target.ok = False
                for problem in sorted(exc.problems, key=lambda p: (p.path, p.line, p.col)):
                    self.log(printable(str(problem)))
                self.log(
                    printable(
                        f"{shown}: not rebuilt ({len(exc.problems)} problem"
                        f"{'s' * (len(exc.problems) != 1)}); the last good outputs are kept"
                    )
                )
                continue
            except FactsheetError as exc:
                failed += 1
                target.ok = False
                self.log(printable(f"{shown}: {exc}; the last good outputs are kept"))
                continue
            except OSError as exc:
                raise UsageError(f"--out: cannot write to {self.out}: {exc.strerror or exc}") from None
            target.ok = True
            if self.on_built is not None:  # before the line: whoever reads it finds the rebuild served
                self.on_built(path, written)
            names = ", ".join(self.project.display(p) for p in written.values())
            self.log(
                printable(
                    f"built {names} in {time.perf_counter() - start:.2f} s ({len(document.footnotes)} notes)"
                )
            )
        return failed

    def seed_library(self) -> SeedLibrary:
        """Return the seed library, read when first needed and kept while seeds/ is unchanged."""
        from factsheet.sources.seeds import SeedLibrary

        if self.library is None:
            self.library = SeedLibrary(
                self.project.seeds_dir, self.project.display(self.project.seeds_dir / "catalog.yaml")
            )
        return self.library

    def forget(self, changed: Iterable[Path]) -> None:
        """Drop what was read from the files in ``changed``: a change in seeds/ reads the library afresh."""
        seeds = self.project.seeds_dir.resolve()
        if any(Path(p).resolve().parent == seeds for p in changed):
            self.library = None

    def run(self, changes: Iterator[set[Path]]) -> None:
        """Build everything once, then rebuild after each batch of changes until ``changes`` ends."""
        self.build(self.sheets())
        self.log("watching for changes (Ctrl-C to stop)")
        for batch in changes:
            if batch:
                self.forget(batch)
                self.build(self.affected(batch))


def changes(roots: list[Path], poll: bool = False) -> Iterator[set[Path]]:
    """Return sets of changed files in ``roots``, watched from now on: inotify, else watchfiles, else polling.

    The watch is live when this returns, so nothing saved during the first build is missed.
    """
    batches: Iterator[set[Path]] | None = None
    if not poll:
        batches = _inotify(roots) or _watchfiles(roots)
    if batches is None:
        batches = _poll(roots)
    first = next(batches)  # returns once the watch is set up
    return itertools.chain([first], batches)


#: What inotify reports: a file written, closed, renamed, created, removed or its metadata changed.
_WRITING_EVENTS = ("MODIFY", "CREATE")
_WHOLE_EVENTS = ("CLOSE_WRITE", "MOVED_TO", "MOVED_FROM", "DELETE", "ATTRIB")


def _inotify(roots: list[Path]) -> Iterator[set[Path]] | None:
    """Return batches of changed files from Linux's inotify, or None where it cannot be used.

    A batch is handed over as soon as every file in it is whole again: closed
    by its writer, renamed into place or removed. So an editor's save is
    rebuilt the moment it ends, not after a quiet time; only a file still open
    for writing waits for SETTLE_MS of quiet, as with watchfiles.
    """
    try:
        from inotify_simple import INotify, flags
    except (ImportError, OSError):  # another system, or no inotify in its C library
        return None
    try:
        notify = INotify()
    except OSError:  # the system's limit of inotify instances is reached
        return None
    writing = _mask(flags, _WRITING_EVENTS)
    whole = _mask(flags, _WHOLE_EVENTS)
    try:
        folders = {notify.add_watch(root, writing | whole | flags.ONLYDIR): root for root in roots}
    except OSError:  # the limit of watches, or a folder removed meanwhile
        notify.close()
        return None
    return _inotify_batches(notify, folders, writing, int(flags.Q_OVERFLOW))


def _mask(flags: Any, names: tuple[str, ...]) -> int:
    mask = 0
    for name in names:
        mask |= int(getattr(flags, name))
    return mask


def _inotify_batches(
    notify: Any, folders: dict[int, Path], writing: int, overflow: int
) -> Iterator[set[Path]]:
    """Yield a set of changed files each time they are all whole again; an empty set every WAKE_MS idle."""
    try:
        yield set()
        changed: set[Path] = set()
        open_files: set[Path] = set()  # written to and not yet closed
        while True:
            # a batch is handed over once nothing more is waiting to be read (one save is several events)
            wait = SETTLE_MS if open_files else (0 if changed else WAKE_MS)
            events = notify.read(timeout=wait)
            if not events:
                if changed or wait == WAKE_MS:
                    yield changed
                    changed, open_files = set(), set()
                continue
            for event in events:
                if event.mask & overflow:  # events were lost: take every file as changed
                    changed.update(p for root in folders.values() for p in root.iterdir() if p.is_file())
                    continue
                folder = folders.get(event.wd)
                if folder is None or not event.name or not _interesting(None, event.name):
                    continue
                path = folder / event.name
                changed.add(path)
                if event.mask & writing:
                    open_files.add(path)
                else:
                    open_files.discard(path)
    finally:
        notify.close()


def _watchfiles(roots: list[Path]) -> Iterator[set[Path]] | None:
    """Return batches of changed files from watchfiles (after SETTLE_MS of quiet), or None when it is missing."""
    try:
        import watchfiles
    except ImportError:
        return None
    return (
        {Path(p) for _, p in batch}
        for batch in watchfiles.watch(
            *roots,
            step=SETTLE_MS,
            debounce=1600,
            raise_interrupt=True,
            watch_filter=_interesting,
            rust_timeout=WAKE_MS,
            yield_on_timeout=True,
        )
    )


def _interesting(_change: object, path: str) -> bool:
    # editors' temporary and swap files, and our own temporary outputs, are no inputs
    name = os.path.basename(path)
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")))


def _poll(roots: list[Path]) -> Iterator[set[Path]]:
    """Yield changed files by comparing modification times, size and inode every POLL_SECONDS."""

    def snapshot() -> dict[Path, tuple[int, int, int]]:
        state = {}
        for root in roots:
            files = [root] if root.is_file() else [p for p in root.iterdir() if p.is_file()]
            for p in files:
                if _interesting(None, str(p)):
                    try:
                        st = p.stat()
                    except OSError:
                        continue
                    state[p] = (st.st_mtime_ns, st.st_size, st.st_ino)
        return state

    before = snapshot()
    yield set()
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot()
        changed = {p for p in before.keys() | now.keys() if before.get(p) != now.get(p)}
        before = now
        if changed:
            yield changed


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: Any) -> int:
    """Run ``factsheet watch``: build, then rebuild on every change until interrupted."""
    from factsheet.pipeline.build import parse_formats, prepare
    from factsheet.rendering.templating import template_path

    project = Project.find(Path(args.root) if args.root else None)
    formats = parse_formats(args.format)
    template_path(project.templates_dir, args.template)
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.is_file():
            raise UsageError(
                f"{p}: expected a fact sheet file, found {'a folder' if p.is_dir() else 'nothing'}"
            )
    out = Path(args.out) if args.out else project.default_out
    project.refuse_as_output(out, "build into a folder of its own such as build/")
    # stopped by a service manager: clean up as for Ctrl-C (outputs are only ever renamed into place)
    signal.signal(signal.SIGTERM, _terminate)
    sides = SideWriter.for_formats(formats)  # warm writer processes, kept between rebuilds
    if not sides:  # load the writers here now: the first rebuild is as fast as the next
        prepare(formats)
    server = None
    try:
        watcher = Watcher(project, paths, formats, out, args.template, sides)
        watcher.options = getattr(args, "options", None) or watcher.options
        if args.serve is not None:
            from factsheet.pipeline.livepage import LivePage

            server = LivePage(args.serve, out)
            watcher.on_built = server.built_pdf
            watcher.log(f"serving the PDF briefs at {server.url} (this computer only)")
        watcher.run(changes(watcher.roots(), poll=args.poll))
    finally:
        if server is not None:
            server.close()
        for side in sides:
            side.close()
    return 0
