"""Render a fact sheet through a sandboxed Jinja2 template into the document model.

Templates run in Jinja2's immutable sandbox: they see only the values passed to
:func:`render` (the fact sheet, its sources, charts), cannot reach attributes
starting with an underscore (``''.__class__``, ``cycler.__init__.__globals__``),
cannot change the lists and mappings they are given, and ``range`` is capped at
Jinja's ``MAX_RANGE``. Every template file read (the one named with
``--template`` and anything it includes, imports or extends) must lie inside
``templates/``: ``../`` and absolute names are refused by Jinja, and a symbolic
link pointing out of the folder is refused here, as is anything but a regular
file. :mod:`factsheet.sandbox` keeps every expression and the whole render within
a budget of time, memory and text. Any failure while rendering becomes a
TemplateError naming the template file and line.
"""

from __future__ import annotations

import errno
import functools
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from factsheet.errors import TemplateError, UsageError
from factsheet.regularfile import FileTooLarge, read_regular
from factsheet.rendering.document import ChartFields, Document
from factsheet.sources.loading import printable
from factsheet.sources.model import Claim, DraftSheet, PartialDate, format_number

if TYPE_CHECKING:
    from types import FrameType, GeneratorType

    from jinja2 import BaseLoader, Environment, Template

TEMPLATE_SUFFIX = ".xml.j2"
#: The largest template file compiled; the brief's own are a few dozen kilobytes.
MAX_TEMPLATE_BYTES = 1_000_000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")


def template_path(templates_dir: Path, name: str) -> Path:
    """Return the file of template ``name``; refuse names that could leave the folder."""
    if not _NAME.match(name):
        raise UsageError(
            f"--template: expected a name such as 'brief' (letters, digits, - and _), found {name!r}"
        )
    path = templates_dir / f"{name}{TEMPLATE_SUFFIX}"
    if not path.is_file():
        known = sorted(p.name[: -len(TEMPLATE_SUFFIX)] for p in templates_dir.glob(f"[!_]*{TEMPLATE_SUFFIX}"))
        raise UsageError(
            f"--template: no template '{name}' in {templates_dir} (found: {', '.join(known) or 'none'})"
        )
    if path.resolve().parent != templates_dir.resolve():
        raise UsageError(f"--template: {path} points outside {templates_dir}")
    return path


def read_template(path: Path) -> str:
    """Return the text of a template file; raise OSError for a non-regular or oversized file.

    The size is checked before a byte is compiled: Jinja needs many times a
    template's size in memory to compile it.
    """
    try:
        data = read_regular(path, MAX_TEMPLATE_BYTES)
    except FileTooLarge:
        raise FileTooLarge(
            errno.EFBIG, f"the template is larger than {MAX_TEMPLATE_BYTES:,} bytes", str(path)
        ) from None
    return data.decode("utf-8")


def _loader(templates_dir: Path) -> BaseLoader:
    """Return a Jinja loader that reads only files that really lie inside ``templates_dir``."""
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    root = templates_dir.resolve()

    class ConfinedLoader(BaseLoader):
        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str | None, Callable[[], bool] | None]:
            path = Path(templates_dir, *split_template_path(template))  # refuses '..'
            if not path.resolve().is_relative_to(root):
                raise TemplateNotFound(template, f"template {template!r} points outside {templates_dir}")
            try:
                stamp = _stamp(path)
                source = read_template(path)  # a named pipe would make a plain read wait forever
            except FileNotFoundError:
                raise TemplateNotFound(
                    template, f"{template!r} not found in search path: {str(templates_dir)!r}"
                ) from None
            except (OSError, UnicodeDecodeError) as exc:
                detail = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
                raise TemplateNotFound(template, f"template {template!r}: {detail}") from None
            return source, str(path), lambda: _stamp_or_none(path) == stamp

    return ConfinedLoader()


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _stamp_or_none(path: Path) -> tuple[int, int] | None:
    try:
        return _stamp(path)
    except OSError:
        return None


def _passages(quotes: list[str]) -> list[str]:
    """Return the quotes once each, in order, leaving out any that a longer one already contains."""
    folded = [" ".join(q.split()) for q in quotes]
    kept = []
    for i, (quote, text) in enumerate(zip(quotes, folded)):
        inside = any(text in other and (text != other or j < i) for j, other in enumerate(folded) if j != i)
        if not inside:
            kept.append(quote)
    return kept


def _quotes_by_source(claims: Iterable[Claim]) -> dict[str, list[str]]:
    """Return the quotes of ``claims`` by source id, in order: one pass, however many sources look them up."""
    out: dict[str, list[str]] = {}
    for claim in claims:
        for citation in claim.citations:
            out.setdefault(citation.source, []).append(citation.quote)
    return out


def _human_date(value: object) -> str:
    """Return a date as a reader writes it ("February 2025", "autumn 2024"); "" for no date."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.human()
    date = PartialDate.of(value)
    return date.human() if date is not None else ""


def _date_phrase(value: object) -> str:
    """Return a date after a verb ("in autumn 2024", "on 18 October 2024", "by December 2024"), or ""."""
    if value is None:
        return ""
    date = value if isinstance(value, PartialDate) else PartialDate.of(value)
    return date.phrase() if date is not None else ""


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    """Return "1 claim", "33 claims" (or the given plural): a count with its noun."""
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def _nothing_for_none(value: object) -> object:
    """Return what ``{{ value }}`` prints: a value a sheet leaves out (a draft's title) prints as nothing, not "None"."""
    return "" if value is None else value


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path) -> Environment:
    """Return the sandbox for ``templates_dir``, kept for the life of the process.

    Compiled templates stay in this environment's memory, never on disk (Jinja's
    file cache would unpickle code from there); a watch keeps reusing it, and
    an edited template is compiled afresh (``auto_reload``).
    """
    from jinja2 import StrictUndefined

    from factsheet.rendering import sandbox  # here: naming a template (template_path) needs none of this
    from factsheet.rendering.typography import nested, quoted, short_title

    env = sandbox.sandbox_class()(
        loader=_loader(templates_dir),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        bytecode_cache=None,
        finalize=_nothing_for_none,
        # Jinja's optimizer folds constant expressions at compile time: an eighth of a brief's
        # compile, on the path to its first render, to save a few additions and filters per render
        optimized=False,
    )
    sandbox.guard_filters(env.filters)
    env.filters["date"] = _human_date
    env.filters["date_phrase"] = _date_phrase
    env.filters["number"] = format_number
    env.filters["plural"] = _plural
    env.filters["quoted"] = quoted
    env.filters["nested"] = nested
    env.filters["short_title"] = short_title
    env.filters["passages"] = _passages
    env.filters["quotes_by_source"] = _quotes_by_source
    return env


def prepare(templates_dir: Path, name: str | None = None) -> None:
    """Compile template ``name`` (every template when None) and the templates it names, and keep them.

    A template with errors is left for render, which reports it with its line.
    The templates another names are found by their quoted names in its text; one
    named otherwise is simply compiled when render first needs it.
    """
    env = _environment(templates_dir.resolve())
    loader = env.loader
    if loader is None:  # pragma: no cover - the environment is always made with its loader
        return
    if name is None:
        todo = [path.name for path in sorted(templates_dir.glob(f"*{TEMPLATE_SUFFIX}"))]
    else:
        todo = [f"{name}{TEMPLATE_SUFFIX}"]
    done: set[str] = set()
    while todo:
        file = todo.pop()
        if file in done:
            continue
        done.add(file)
        try:
            env.get_template(file)
            source = loader.get_source(env, file)[0]  # read as the template was: inside the folder only
        except Exception:  # noqa: BLE001 - render reports it, with its line
            continue
        todo.extend(_NAMED.findall(source))


#: A template named in another's text: ``{% include "x.xml.j2" %}``, ``{% from "x.xml.j2" import … %}``.
_NAMED = re.compile(r"""["']([A-Za-z0-9_-]{1,64}\.xml\.j2)["']""")


def render(
    sheet: DraftSheet,
    templates_dir: Path,
    name: str,
    context: dict[str, Any] | None = None,
    charts: Mapping[str, ChartFields] | None = None,
) -> Document:
    """Return the Document that template ``name`` makes of ``sheet``."""
    path = template_path(templates_dir, name)
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    from factsheet.rendering import markup, sandbox

    env = _environment(templates_dir.resolve())
    claims = len(sheet.claims)
    variables = {"sheet": sheet, "charts": charts or {}, **(context or {})}
    try:
        template = env.get_template(path.name)
        stream = template.generate(**variables)
        with sandbox.Deadline(sandbox.render_seconds(claims)), sandbox.memory_cap():
            text = sandbox.collect(stream, sandbox.output_chars(claims))
    except sandbox.BudgetExceeded as exc:
        filename, lineno = _template_frame(exc, templates_dir)
        filename = filename or str(path)  # the output cap is found outside any template line
        raise TemplateError(_where(templates_dir, filename, lineno, _budget_message(exc, claims))) from None
    except MemoryError as exc:
        filename, lineno = _template_frame(exc, templates_dir)
        raise TemplateError(
            _where(
                templates_dir,
                filename,
                lineno,
                f"the template needs more than {sandbox.RENDER_MEMORY // 2**20:,} MiB of memory",
            )
        ) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(
            _where(templates_dir, exc.filename, exc.lineno, exc.message or "syntax error")
        ) from None
    except JinjaError as exc:
        filename, lineno = _template_frame(exc, templates_dir)
        message = str(exc)
        if isinstance(exc, TemplateNotFound) and message == exc.name:  # Jinja's bare refusal of '..'
            message = f"{exc.name!r} not found: templates can only use files inside {templates_dir}"
        raise TemplateError(_where(templates_dir, filename, lineno, message)) from None
    except Exception as exc:  # anything a template does wrong is the template's error, never a crash
        filename, lineno = _template_frame(exc, templates_dir)
        detail = "templates include each other without end" if isinstance(exc, RecursionError) else str(exc)
        raise TemplateError(
            _where(templates_dir, filename, lineno, f"{type(exc).__name__}: {detail}")
        ) from None
    try:
        return markup.parse(text, path.name, charts)
    except markup.MarkupError as exc:
        origin = _origin(template, variables, exc.offset(text))
        if origin is None:
            raise
        filename, lineno = origin
        where = _where(templates_dir, filename, lineno, f"the template wrote {exc.detail}")
        if exc.excerpt and not where.endswith(f": {exc.excerpt}"):  # the output differs from the source line
            where += f" (it wrote: {exc.excerpt})"
        raise TemplateError(where) from None


def _origin(template: Template, variables: dict[str, Any], offset: int) -> tuple[str, int] | None:
    """Return the template file and line that wrote the output at ``offset``, or None.

    Renders again, chunk by chunk, asking Jinja which template line each chunk
    comes from (the innermost template for an include). Only called for an error.
    """
    # Jinja compiles a template's body to a generator function (typed as returning an iterator)
    generator = cast(
        "GeneratorType[str, None, None]", template.root_render_func(template.new_context(dict(variables)))
    )
    position = 0
    found = None
    try:
        for chunk in generator:
            chunk = str(chunk)
            if position + len(chunk) > offset:
                frame = _innermost_template_frame(generator)
                owner = frame.f_globals.get("__jinja_template__") if frame is not None else None
                if frame is not None and owner is not None and owner.filename:
                    line = owner.get_corresponding_lineno(frame.f_lineno)
                    found = (owner.filename, _literal_line(owner.filename, line, chunk, offset - position))
                break
            position += len(chunk)
    except Exception:  # the first render succeeded; anything odd here only costs the location
        return found
    finally:
        generator.close()
    return found


def _innermost_template_frame(generator: GeneratorType[str, None, None]) -> FrameType | None:
    """Return the frame of the innermost template generator suspended under ``generator``.

    An include runs ``for event in included(): yield event``: the included
    template's generator is on the including generator's stack, which the
    garbage collector's view of that generator shows.
    """
    import gc
    import types

    for _ in range(100):  # includes nest far less deep
        inner = next(
            (
                o
                for o in gc.get_referents(generator)
                if isinstance(o, types.GeneratorType)
                and o.gi_frame is not None
                and "__jinja_template__" in o.gi_frame.f_globals
            ),
            None,
        )
        if inner is None:
            return generator.gi_frame
        generator = inner
    return generator.gi_frame


def _literal_line(filename: str, line: int, chunk: str, at: int) -> int:
    """Return the template line holding the output line at ``chunk[at]``, when it is literal template text.

    Jinja gives the line where the chunk starts; comments and whitespace control
    shift the lines after it, so the output line is looked for in the source.
    """
    begin = chunk.rfind("\n", 0, at) + 1
    end = chunk.find("\n", at)
    piece = chunk[begin : end if end >= 0 else len(chunk)].strip()
    fallback = line + chunk.count("\n", 0, at)
    if not piece:
        return fallback
    try:
        source = read_template(Path(filename)).split("\n")
    except (OSError, UnicodeDecodeError):
        return fallback
    for number in range(max(1, line), len(source) + 1):
        if piece in source[number - 1]:
            return number
    return fallback


def _budget_message(exc: Exception, claims: int) -> str:
    from factsheet.rendering import sandbox

    if isinstance(exc, sandbox.TimeUp):
        return (
            f"the template used more than {sandbox.render_seconds(claims):g} s of processor time "
            f"(the limit for a sheet of {claims:,} claim{'s' * (claims != 1)}); look for loops inside loops"
        )
    if isinstance(exc, sandbox.OutputTooLong):
        return f"{exc} (the limit for a sheet of {claims:,} claim{'s' * (claims != 1)}); look for loops inside loops"
    return str(exc)


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[str | None, int | None]:
    """Return the template file and line where ``exc`` was raised (Jinja maps frames to templates)."""
    folder = templates_dir.resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and Path(frame.filename).resolve().is_relative_to(folder):
            return frame.filename, frame.lineno
    return None, None


def _where(templates_dir: Path, filename: str | None, lineno: int | None, message: str) -> str:
    message = printable(" ".join(message.split()))
    if not filename:
        return f"template error: {message}"
    path = Path(filename)
    shown = path.name
    line_text = ""
    try:
        lines = read_template(templates_dir / path.name).split("\n") if lineno else []
        if lineno and 0 < lineno <= len(lines):
            line_text = f": {printable(lines[lineno - 1].strip())}"
    except (OSError, UnicodeDecodeError):
        pass
    if not lineno:
        return f"templates/{shown}: {message}"
    return f"templates/{shown}:{lineno}: {message}{line_text}"
