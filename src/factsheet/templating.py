"""Render a fact sheet through a sandboxed Jinja2 template into the document model."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from factsheet import markup
from factsheet.document import Chart, Document
from factsheet.errors import TemplateError, UsageError
from factsheet.model import FactSheet, PartialDate, format_number

TEMPLATE_SUFFIX = ".xml.j2"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def template_path(templates_dir: Path, name: str) -> Path:
    """Return the file of template ``name``; refuse names that could leave the folder."""
    if not _NAME.match(name):
        raise UsageError(f"--template: expected a name such as 'brief' (letters, digits, - and _), found {name!r}")
    path = templates_dir / f"{name}{TEMPLATE_SUFFIX}"
    if not path.is_file():
        known = sorted(p.name[: -len(TEMPLATE_SUFFIX)] for p in templates_dir.glob(f"[!_]*{TEMPLATE_SUFFIX}"))
        raise UsageError(f"--template: no template '{name}' in {templates_dir} (found: {', '.join(known) or 'none'})")
    if path.resolve().parent != templates_dir.resolve():
        raise UsageError(f"--template: {path} points outside {templates_dir}")
    return path


def _human_date(value) -> str:
    if value is None:
        return "date not recorded"
    if isinstance(value, PartialDate):
        return value.human()
    return PartialDate.of(value).human()


def _environment(templates_dir: Path):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["date"] = _human_date
    env.filters["number"] = format_number
    return env


def render(sheet: FactSheet, templates_dir: Path, name: str, context: dict | None = None,
           charts: dict[str, Chart] | None = None) -> Document:
    """Return the Document that template ``name`` makes of ``sheet``."""
    path = template_path(templates_dir, name)
    from jinja2 import TemplateError as JinjaError, TemplateSyntaxError

    env = _environment(templates_dir)
    try:
        template = env.get_template(path.name)
        text = template.render(sheet=sheet, charts=charts or {}, **(context or {}))
    except TemplateSyntaxError as exc:
        raise TemplateError(_where(templates_dir, exc.filename, exc.lineno, exc.message)) from None
    except JinjaError as exc:
        filename, lineno = _template_frame(exc, templates_dir)
        raise TemplateError(_where(templates_dir, filename, lineno, str(exc))) from None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        filename, lineno = _template_frame(exc, templates_dir)
        raise TemplateError(_where(templates_dir, filename, lineno, f"{type(exc).__name__}: {exc}")) from None
    return markup.parse(text, path.name, charts)


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[str | None, int | None]:
    """Return the template file and line where ``exc`` was raised (Jinja maps frames to templates)."""
    folder = str(templates_dir.resolve())
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(folder):
            return frame.filename, frame.lineno
    return None, None


def _where(templates_dir: Path, filename, lineno, message: str) -> str:
    if not filename:
        return f"template error: {message}"
    path = Path(filename)
    shown = path.name
    line_text = ""
    try:
        lines = (templates_dir / path.name).read_text(encoding="utf-8").split("\n")
        if lineno and 0 < lineno <= len(lines):
            line_text = f": {lines[lineno - 1].strip()}"
    except OSError:
        pass
    return f"templates/{shown}:{lineno}: {message}{line_text}"
