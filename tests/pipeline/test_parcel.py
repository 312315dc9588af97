"""A document crosses processes pickled once: each process between the render and a writer passes bytes on."""

from __future__ import annotations

import pickle

from factsheet.pipeline import build
from factsheet.pipeline.parcel import Parcel
from factsheet.project import Project

from conftest import NK_SHEET


def test_a_parcel_opens_to_an_equal_document_and_crosses_a_pipe_as_its_bytes(project):
    p = Project(project)
    document = build.document_for(p, build.load_sheet(p, project / "factsheets" / NK_SHEET.name))
    parcel = Parcel.of(document)
    assert parcel.open() == document and parcel.open() is not document
    relayed = pickle.loads(pickle.dumps(parcel, pickle.HIGHEST_PROTOCOL))  # as each process passes it on
    assert relayed == parcel and relayed.open() == document


def test_a_side_writer_given_a_parcel_writes_what_a_write_here_writes_of_its_document(project):
    from factsheet.pipeline.sidewriter import SideWriter

    p = Project(project)
    document = build.document_for(p, build.load_sheet(p, project / "factsheets" / NK_SHEET.name))
    writer = SideWriter("html")
    try:
        writer.send(Parcel.of(document))
        assert writer.receive() == build.render(document, "html")
    finally:
        writer.close()
