"""Claims and figures made in a line, for the chart tests: one speaker each, one placeholder citation."""

from __future__ import annotations

from factsheet.sources.model import Attribution, Citation, Claim, Figure, PartialDate


def claim(id, *figs, org="Org A", said=None):
    """Return a reported claim by the head of ``org`` with figures ``figs``."""
    return Claim(
        id=id,
        text=f"Text of {id}.",
        status="reported",
        attribution=Attribution(f"Head of {org}", True, None, org),
        citations=(Citation("src", "q"),),
        figures=tuple(figs),
        said_on=PartialDate.of(said),
    )


def fig(metric, value=None, low=None, high=None, qualifier=None, as_of=None):
    """Return a figure in soldiers, labelled as a sheet's metrics: would label ``metric``."""
    label = metric.replace("_", " ").capitalize()
    return Figure(metric, "soldiers", value, low, high, qualifier, PartialDate.of(as_of), label=label)
