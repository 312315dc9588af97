"""Render a fact sheet through a sandboxed Jinja2 template into the document model.

Templates run in Jinja2's immutable sandbox: they see only the values passed to
:func:`render` (the fact sheet, its sources, charts), cannot reach attributes
starting with an underscore (``''.__class__``, ``cycler.__init__.__globals__``),
cannot change the lists and mappings they are given, and ``range`` is capped at
Jinja's ``MAX_RANGE``. Every template file read (the one named with
``--template`` and anything it includes, imports or extends) must lie inside
``templates/``: ``../`` and absolute names are refused by Jinja, and a symbolic
link pointing out of the folder is refused here. ``**`` and ``*`` are checked so
a one-line expression cannot build a gigantic number or string. Any failure
while rendering becomes a TemplateError naming the template file and line.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from factsheet.rendering import markup
from factsheet.rendering.document import Chart, Document
from factsheet.errors import TemplateError, UsageError
from factsheet.sources.loading import printable
from factsheet.sources.model import FactSheet, PartialDate, format_number

TEMPLATE_SUFFIX = ".xml.j2"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")
#: The largest number of bits ``**`` may produce, and items ``*`` may repeat.
MAX_POWER_BITS = 4096
MAX_REPEAT_ITEMS = 1_000_000


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


def _loader(templates_dir: Path):
    """Return a Jinja loader that reads only files that really lie inside ``templates_dir``."""
    from jinja2 import FileSystemLoader, TemplateNotFound

    root = templates_dir.resolve()

    class ConfinedLoader(FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if not Path(filename).resolve().is_relative_to(root):
                raise TemplateNotFound(template, f"template {template!r} points outside {templates_dir}")
            return source, filename, uptodate

    return ConfinedLoader(str(templates_dir))


def _sandbox():
    """Return the sandboxed environment class, with ``**`` and ``*`` kept to a sane size."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
                if abs(left).bit_length() * right > MAX_POWER_BITS:
                    raise SecurityError(f"{left} ** {right} is too large (the limit is {MAX_POWER_BITS} bits)")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and _is_int(times) and len(seq) * times > MAX_REPEAT_ITEMS:
                        raise SecurityError(f"repeating {len(seq):,} items {times:,} times is too large "
                                            f"(the limit is {MAX_REPEAT_ITEMS:,} items)")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _human_date(value) -> str:
    if value is None:
        return "date not recorded"
    if isinstance(value, PartialDate):
        return value.human()
    return PartialDate.of(value).human()


def _bytecode_cache():
    """Return Jinja's compiled-template cache in factsheet's cache folder, or None.

    Compiling the templates is most of a render's time; Jinja checks each cached
    entry against its template's source, so an edited template is compiled afresh.
    """
    from factsheet import cache

    folder = cache.cache_dir()
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    folder = folder / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def _environment(templates_dir: Path):
    from jinja2 import StrictUndefined

    env = _sandbox()(
        loader=_loader(templates_dir),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["date"] = _human_date
    env.filters["number"] = format_number
    return env


def render(sheet: FactSheet, templates_dir: Path, name: str, context: dict | None = None,
           charts: dict[str, Chart] | None = None) -> Document:
    """Return the Document that template ``name`` makes of ``sheet``."""
    path = template_path(templates_dir, name)
    from jinja2 import TemplateError as JinjaError, TemplateNotFound, TemplateSyntaxError

    env = _environment(templates_dir)
    try:
        template = env.get_template(path.name)
        text = template.render(sheet=sheet, charts=charts or {}, **(context or {}))
    except TemplateSyntaxError as exc:
        raise TemplateError(_where(templates_dir, exc.filename, exc.lineno, exc.message)) from None
    except JinjaError as exc:
        filename, lineno = _template_frame(exc, templates_dir)
        message = str(exc)
        if isinstance(exc, TemplateNotFound) and message == exc.name:  # Jinja's bare refusal of '..'
            message = f"{exc.name!r} not found: templates can only use files inside {templates_dir}"
        raise TemplateError(_where(templates_dir, filename, lineno, message)) from None
    except Exception as exc:  # anything a template does wrong is the template's error, never a crash
        filename, lineno = _template_frame(exc, templates_dir)
        detail = "templates include each other without end" if isinstance(exc, RecursionError) else str(exc)
        raise TemplateError(_where(templates_dir, filename, lineno, f"{type(exc).__name__}: {detail}")) from None
    return markup.parse(text, path.name, charts)


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[str | None, int | None]:
    """Return the template file and line where ``exc`` was raised (Jinja maps frames to templates)."""
    folder = templates_dir.resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and Path(frame.filename).resolve().is_relative_to(folder):
            return frame.filename, frame.lineno
    return None, None


def _where(templates_dir: Path, filename, lineno, message: str) -> str:
    message = printable(" ".join(message.split()))
    if not filename:
        return f"template error: {message}"
    path = Path(filename)
    shown = path.name
    line_text = ""
    try:
        lines = (templates_dir / path.name).read_text(encoding="utf-8").split("\n")
        if lineno and 0 < lineno <= len(lines):
            line_text = f": {printable(lines[lineno - 1].strip())}"
    except OSError:
        pass
    return f"templates/{shown}:{lineno}: {message}{line_text}"
