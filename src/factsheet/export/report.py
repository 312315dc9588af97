"""What an export tells its user: a progress bar, plain lines, or one JSON object per event."""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import sys
from typing import Any, TextIO

from factsheet.oneline import one_line


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


class Reporter:
    """Report export events.

    ``log_format="json"`` writes one JSON object per line to ``stdout`` (events
    start, built, skipped, failed, removed, summary, and locked when the folder
    is busy). Text goes to ``stderr``: a progress bar when it is a terminal,
    plain lines otherwise. ``quiet`` keeps only failures and the summary.
    """

    def __init__(
        self,
        log_format: str = "text",
        quiet: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        tty: bool | None = None,
        dumb_terminal: bool = False,
    ):
        self.json = log_format == "json"
        self.quiet = quiet
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        if tty is None:
            try:
                tty = self.stderr.isatty()
            except (AttributeError, ValueError):
                tty = False
        # A bar needs a terminal that understands "\r" and "erase line": not TERM=dumb.
        self.bar = bool(tty) and not self.json and not quiet and not dumb_terminal
        self.total = 0
        self.done = 0
        self.counts = {"built": 0, "skipped": 0, "failed": 0}  # files, one per sheet and format
        self.in_progress: list[str] = []  # sheets being built, oldest first
        self._bar_shown = False

    # -- JSON -----------------------------------------------------------------

    def _json(self, event: str, fields: dict[str, Any]) -> None:
        if self.quiet and event not in ("failed", "summary", "locked"):
            return
        record = {"event": event, "time": _now(), **fields}
        self.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stdout.flush()

    # -- text -----------------------------------------------------------------

    def _line(self, text: str) -> None:
        self._clear_bar()
        self.stderr.write(one_line(text) + "\n")  # a sheet's name never starts a line of its own
        self.stderr.flush()
        self._draw_bar()

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self.stderr.write("\r\x1b[K")
            self._bar_shown = False

    def progress_text(self) -> str:
        """Return the progress line: sheets done of all, files built/skipped/failed, the sheet being built."""
        c = self.counts
        text = f"{self.done}/{_plural(self.total, 'sheet')}"
        if self.in_progress:  # before the counts: a narrow terminal cuts the line's end
            more = len(self.in_progress) - 1
            text += f" · building {self.in_progress[0]}" + (f" (+{more})" if more else "")
        return one_line(text + f" · files: {c['built']} built, {c['skipped']} skipped, {c['failed']} failed")

    def _draw_bar(self) -> None:
        if not self.bar or not self.total:
            return
        width = shutil.get_terminal_size((80, 20)).columns
        cells = 24
        filled = cells * self.done // self.total
        text = f"[{'#' * filled}{'.' * (cells - filled)}] {self.progress_text()}"
        self.stderr.write("\r\x1b[K" + text[: max(10, width - 1)])
        self.stderr.flush()
        self._bar_shown = True

    # -- events ---------------------------------------------------------------

    def start(
        self,
        *,
        sheets: int,
        out: str,
        formats: list[str],
        template: str,
        jobs: int,
        force: bool,
        version: str,
        pid: int,
    ) -> None:
        self.total = sheets
        if self.json:
            self._json(
                "start",
                {
                    "sheets": sheets,
                    "out": out,
                    "formats": formats,
                    "template": template,
                    "jobs": jobs,
                    "force": force,
                    "version": version,
                    "pid": pid,
                },
            )
        elif not self.quiet:
            if self.bar:
                self._draw_bar()
            else:
                self._line(
                    f"exporting {_plural(sheets, 'fact sheet')} to {out} "
                    f"({', '.join(formats)}; template {template}; {_plural(jobs, 'job')})"
                )

    def locked(self, message: str) -> None:
        if self.json:
            self._json("locked", {"reason": message})

    def waiting(self, holder: str, lock: str) -> None:
        if not self.json and not self.quiet:
            self._line(f"waiting for {holder} to release {lock}")

    def built(
        self, *, sheet: str, fmt: str, path: str, size: int, duration: float, written: bool = True
    ) -> None:
        self.counts["built"] += 1
        if self.json:
            self._json(
                "built",
                {
                    "sheet": sheet,
                    "format": fmt,
                    "path": path,
                    "bytes": size,
                    "duration": round(duration, 3),
                    "written": written,
                },
            )
        elif not self.quiet and not self.bar:
            same = "" if written else "; same bytes as before, file left as it was"
            self._line(f"built {path} ({size:,} bytes, {duration:.2f} s{same})")

    def skipped(self, *, sheet: str, fmt: str, path: str) -> None:
        self.counts["skipped"] += 1
        if self.json:
            self._json("skipped", {"sheet": sheet, "format": fmt, "path": path, "reason": "unchanged"})
        elif not self.quiet and not self.bar:
            self._line(f"skipped {path} (unchanged)")

    def failed(self, *, sheet: str, formats: list[str], problems: list[str], duration: float) -> None:
        self.counts["failed"] += len(formats)
        if self.json:
            self._json(
                "failed",
                {
                    "sheet": sheet,
                    "format": ",".join(formats),
                    "formats": formats,
                    "reason": "\n".join(problems),
                    "problems": problems,
                    "duration": round(duration, 3),
                },
            )
        elif not self.quiet:
            self._line(
                f"failed {sheet} ({', '.join(formats)}): "
                f"{_plural(len(problems), 'problem')}, listed at the end"
            )

    def removed(self, *, sheet: str, path: str, why: str = "") -> None:
        """Report a deleted output: its sheet no longer exists, or (``why``) it has nothing to write."""
        if self.json:
            self._json(
                "removed", {"sheet": sheet, "path": path, "reason": why or "fact sheet no longer exists"}
            )
        elif not self.quiet:
            self._line(f"removed {path} ({why or f'{sheet} no longer exists'})")

    def building(self, sheet: str) -> None:
        """Show that ``sheet`` is being built."""
        if sheet not in self.in_progress:
            self.in_progress.append(sheet)
        if self.bar:
            self._clear_bar()
            self._draw_bar()

    def sheet_done(self, sheet: str = "") -> None:
        """Advance the progress by one fact sheet, finished (built, skipped or failed)."""
        self.done += 1
        if sheet in self.in_progress:
            self.in_progress.remove(sheet)
        if self.bar:
            self._clear_bar()
            self._draw_bar()

    def summary(
        self,
        *,
        out: str,
        failures: list[tuple[str, list[str], list[str]]],
        removed: int,
        duration: float,
        exit_code: int,
    ) -> None:
        c = self.counts
        if self.json:
            self._json(
                "summary",
                {
                    "out": out,
                    "built": c["built"],
                    "skipped": c["skipped"],
                    "failed": c["failed"],
                    "removed": removed,
                    "failures": [{"sheet": s, "formats": f, "problems": p} for s, f, p in failures],
                    "duration": round(duration, 3),
                    "exit": exit_code,
                },
            )
            return
        self._clear_bar()
        self.bar = False
        lines = [
            f"export to {out}: {_plural(self.total, 'sheet')}; files: {c['built']} built, "
            f"{c['skipped']} skipped (unchanged), "
            f"{c['failed']} failed" + (f", {removed} removed" if removed else "") + f" in {duration:.2f} s"
        ]
        for sheet, formats, problems in failures:
            lines.append(f"failed: {sheet} ({', '.join(formats)})")
            lines.extend(f"  {p}" for p in problems)
        self.stderr.write("\n".join(map(one_line, lines)) + "\n")
        self.stderr.flush()
