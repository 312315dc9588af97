"""The Word redline of a fact sheet: the new brief, with what changed as native tracked changes.

Each version of the sheet is rendered as ``factsheet build`` renders it (the
same template, the seed catalog's source metadata for the citations); the two
documents are compared block by block and word by word
(:mod:`factsheet.review.docdiff`), and the result, the new brief with changes
marked inserted or deleted, is written by the DOCX writer, which turns the marks
into ``w:ins``/``w:del`` revisions by ``author`` dated ``date``. Accepting every
change gives the new brief; rejecting every change gives the old one.

Quotes are not verified against their articles (a sheet under review often
fails that check); a sheet the template cannot render, or a character the
brief's fonts cannot draw, is an error.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt

from factsheet.errors import RenderError, TemplateError
from factsheet.project import Project
from factsheet.rendering import document as m
from factsheet.review import docdiff
from factsheet.sources.model import DraftSheet, PartialDate

DEFAULT_AUTHOR = "factsheet"


def revision_moment(sheet: DraftSheet | None, epoch: str | None = None) -> _dt.datetime:
    """Return the date of every revision: ``epoch`` (SOURCE_DATE_EPOCH) if set, else the new sheet's as_of."""
    epoch = (epoch or "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise RenderError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    as_of = getattr(sheet, "as_of", None)
    if isinstance(as_of, PartialDate):
        as_of = as_of.start
    if isinstance(as_of, _dt.date):
        return _dt.datetime(as_of.year, as_of.month, as_of.day)
    return _dt.datetime(1980, 1, 1)


def brief(project: Project, sheet: DraftSheet | None, name: str, template: str = "brief") -> m.Document:
    """Return the document ``template`` makes of ``sheet`` (an empty document when there is no sheet).

    The sheet's citations are resolved against the project's seed catalog, as
    in ``factsheet build`` (:meth:`Pipeline.lenient`: its quotes are not verified).
    """
    from factsheet.pipeline.build import Pipeline

    if sheet is None:
        return m.Document(title="")
    pipeline = Pipeline(project, template)
    try:
        return pipeline.document(pipeline.lenient(sheet, name))
    except TemplateError as exc:  # e.g. a sheet under review that lacks a value the template prints
        raise TemplateError(f"cannot render the brief of {name}: {exc}") from None


def redline_document(old: m.Document, new: m.Document, author: str, when: _dt.datetime) -> m.Document:
    """Return the redline of two documents; the metadata are the new one's (the old one's if it is empty)."""
    doc = docdiff.redline(old, new, author, when.isoformat())
    if not new.blocks and not new.title:  # the sheet was deleted: keep the old brief's metadata and page
        doc = dataclasses.replace(
            old,
            blocks=doc.blocks,
            footnotes=doc.footnotes,
            revision_author=doc.revision_author,
            revision_date=doc.revision_date,
        )
    return doc


def redline_for(
    old: DraftSheet | None,
    new: DraftSheet | None,
    project: Project,
    *,
    template: str = "brief",
    author: str | None = None,
    epoch: str | None = None,
    names: tuple[str, str] = ("old", "new"),
) -> m.Document:
    """Return the redline document from ``old`` to ``new``, to be written as DOCX."""
    when = revision_moment(new or old, epoch)
    old_doc = brief(project, old, names[0], template)
    new_doc = brief(project, new, names[1], template)
    return redline_document(old_doc, new_doc, author or DEFAULT_AUTHOR, when)
